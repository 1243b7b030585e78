// `lb-dev up --monitoring` when Prometheus cannot run: a coded error naming what was tried or
// what Prometheus said, exit 4, and nothing left running (no instance, no Prometheus, ports
// free). Real `up` processes; no Docker (--traefik external, monitoring.mode binary).
import assert from 'node:assert/strict';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { portFree } from '../../helpers/http.js';
import { FAST_GROUP, LbDevRun, cleanupAll, nodeFixture } from '../../helpers/lb-dev/index.js';

after(cleanupAll);
const groups = { app: { command: nodeFixture('http-ok.mjs'), instances: 1, ...FAST_GROUP } };

test('no prometheus binary: PROMETHEUS_UNAVAILABLE (exit 4) before any instance starts', async (t) => {
  const run = await LbDevRun.start({ groups, config: { monitoring: { mode: 'binary', binary: '/nonexistent/prometheus' } }, args: ['--monitoring'] });
  t.after(() => run.cleanup());
  const exit = await run.waitExit(30_000);
  assert.equal(exit.code, 4, run.output());
  assert.match(run.output(), /PROMETHEUS_UNAVAILABLE/);
  assert.match(run.output(), /binary: monitoring\.binary: .*\/nonexistent\/prometheus/);
  assert.doesNotMatch(run.output(), /starting on port/, 'no instance was started');
  assert.deepEqual(run.leftovers(), []);
  assert.equal(await portFree(run.port), true);
});

test('a prometheus that exits at once: PROMETHEUS_START_FAILED with its last lines, nothing left', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'lbdt-prom-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const fake = join(dir, 'prometheus');
  await writeFile(fake, '#!/bin/sh\necho "err=\\"listen tcp: bind: address already in use\\"" >&2\nexit 1\n');
  await chmod(fake, 0o755);
  const run = await LbDevRun.start({ groups, config: { monitoring: { mode: 'binary', binary: fake } }, args: ['--monitoring'] });
  t.after(() => run.cleanup());
  const exit = await run.waitExit(60_000);
  assert.equal(exit.code, 4, run.output());
  assert.match(run.output(), /PROMETHEUS_START_FAILED/);
  assert.match(run.output(), /Prometheus exited during start-up/);
  assert.match(run.output(), /address already in use/);
  assert.deepEqual(run.leftovers(), []);
});
