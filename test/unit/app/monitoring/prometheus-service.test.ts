// Prometheus supervised (src/app/monitoring/prometheus-service.ts): Debian's real prometheus
// binary (scripts/provide-prometheus.sh installs it), killed with SIGKILL while it runs, is
// started again, answers /-/ready again, and its part counts the restart; a stop leaves no
// process and frees its port.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { resolveConfig } from '../../../../src/core/config/schema.js';
import { LogHub } from '../../../../src/adapters/logs/log-hub.js';
import { PortAllocator } from '../../../../src/adapters/ports.js';
import { createPrometheusPart } from '../../../../src/app/monitoring/prometheus-service.js';
import { prepareStateDir, stateLayout } from '../../../../src/app/state-dir.js';
import { freePort, portFree } from '../../../helpers/http.js';
import { markedProcesses, pidAlive } from '../../../helpers/lb-dev/processes.js';
import { waitUntil } from '../../../helpers/wait.js';

const BINARY = '/usr/bin/prometheus';
const missing = existsSync(BINARY) ? null : `${BINARY} is missing; run scripts/provide-prometheus.sh`;
if (missing && process.env['LB_DEV_E2E_REQUIRED'] === '1') throw new Error(`required (LB_DEV_E2E_REQUIRED=1) but cannot run: ${missing}`);

test('a Prometheus killed while it runs is started again and answers /-/ready, the restart counted', {
  skip: missing ?? false,
  timeout: 120_000,
}, async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'lbdt-prom-sup-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const layout = stateLayout(join(dir, 'state'));
  await prepareStateDir(layout);
  const port = await freePort();
  const config = resolveConfig(
    { stateDir: layout.root, monitoring: { mode: 'binary', binary: BINARY, port, scrapeInterval: '1s' } },
    { source: null, overrides: {}, cwd: dir, demoCommand: 'node -e 0' },
  );
  const logs = new LogHub({ dir: layout.logsDir, maxFileBytes: 1 << 20, maxFiles: 2, ringBufferLines: 200 });
  t.after(() => logs.close());
  const { part, service } = await createPrometheusPart({ config, layout, logs, ports: new PortAllocator('127.0.0.1'), metricsPort: null, traefikPort: null });
  t.after(() => part.stop());
  const lines = () => logs.recent(['prometheus'], 200).map((line) => line.text);
  const ready = async () => (await fetch(`${service.url}/-/ready`, { signal: AbortSignal.timeout(1_000) }).catch(() => null))?.ok === true;

  await part.start();
  assert.equal(part.status().health, 'healthy');
  assert.equal(await ready(), true);
  const [first, ...others] = markedProcesses(layout.root);
  assert.ok(first !== undefined && others.length === 0, `one prometheus process, found ${[first, ...others].join(', ')}`);

  process.kill(first, 'SIGKILL');
  await waitUntil(async () => part.status().health === 'healthy' && part.status().restarts === 1 && (await ready()), {
    timeoutMs: 60_000,
    what: () => `Prometheus back and ready (status ${JSON.stringify(part.status())})\n${lines().join('\n')}`,
  });
  const [second] = markedProcesses(layout.root);
  assert.ok(second !== undefined && second !== first && !pidAlive(first), 'a new prometheus process');
  assert.ok(lines().includes('ERROR: Prometheus was killed by SIGKILL: monitoring is off; starting Prometheus again'), lines().join('\n'));
  assert.ok(
    lines().some((line) => line.startsWith(`Prometheus is back and ready at ${service.url}, `)),
    lines().join('\n'),
  );

  await part.stop();
  assert.equal(part.status().health, 'stopped');
  assert.deepEqual(markedProcesses(layout.root), []);
  assert.equal(await portFree(port), true);
});
