#!/usr/bin/env node
// Writes config/monitoring/grafana-dashboard.json from the metric table
// (src/core/metrics/catalog.ts, via src/core/metrics/grafana-dashboard.ts). Run it after
// changing a metric or a panel:
//
//   node scripts/gen-grafana-dashboard.mjs
//
// test/unit/core/metrics/grafana-dashboard.test.ts fails while the file is out of date.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { register } from 'tsx/esm/api';

register();
const { grafanaDashboardJson } = await import('../src/core/metrics/grafana-dashboard.ts');
const file = 'config/monitoring/grafana-dashboard.json';
const path = join(dirname(fileURLToPath(import.meta.url)), '..', file);
const text = grafanaDashboardJson();
let old = null;
try {
  old = readFileSync(path, 'utf8');
} catch {
  /* not there yet */
}
if (old === text) {
  process.stdout.write(`${file}: up to date\n`);
} else {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
  process.stdout.write(`${file}: ${old === null ? 'written' : 'updated'}\n`);
}
