#!/usr/bin/env node
// Rewrites the generated regions of docs/configuration.md and config/lb-dev.example.yaml
// from the key table (src/core/config/keys.ts). Run it after changing a key:
//
//   node scripts/gen-config-docs.mjs
//
// test/unit/core/config/docs.test.ts fails while either file is out of date.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { register } from 'tsx/esm/api';

register();
const { fillGenerated } = await import('../src/core/config/docs.ts');
const root = join(dirname(fileURLToPath(import.meta.url)), '..');

for (const [file, format] of [
  ['docs/configuration.md', 'markdown'],
  ['config/lb-dev.example.yaml', 'yaml'],
]) {
  const path = join(root, file);
  const text = readFileSync(path, 'utf8');
  const filled = fillGenerated(text, format);
  if (filled === text) {
    process.stdout.write(`${file}: up to date\n`);
  } else {
    writeFileSync(path, filled);
    process.stdout.write(`${file}: updated\n`);
  }
}
