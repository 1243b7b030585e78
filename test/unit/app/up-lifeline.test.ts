// Whatever kills `up`, its lifeline watchdog removes what it started: a SIGKILLed `up` leaves
// no instance (grandchildren included) behind, and a clean shutdown leaves no watchdog. Either
// way the record of what to clean (lifeline.json) is gone afterwards.
// Docker and binary Traefik: test/e2e/up-sigkill.test.ts.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { after, test } from 'node:test';
import { FAST_GROUP, LbDevRun, cleanupAll, fixture, nodeFixture, pidAlive, waitUntil } from '../../helpers/lb-dev/index.js';

after(cleanupAll);

const groups = {
  app: { command: nodeFixture('http-ok.mjs'), instances: 2, ...FAST_GROUP },
  kids: { command: `${fixture('wrapper.sh')} ${fixture('grandchildren.mjs')}`, instances: 1, ...FAST_GROUP },
};

const lifelinePidOf = (run: LbDevRun) => (JSON.parse(readFileSync(run.layout.runFile, 'utf8')) as { lifelinePid: number }).lifelinePid;

test('a SIGKILLed up leaves no process behind: its watchdog kills every recorded tree', async (t) => {
  const run = await LbDevRun.start({ groups });
  t.after(() => run.cleanup());
  await run.waitAllReady(3);
  const started = run.leftovers();
  assert.ok(started.length >= 6, `2 http-ok + wrapper, node, 2 grandchildren: ${started.length}`);
  const watchdog = lifelinePidOf(run);
  assert.ok(pidAlive(watchdog));

  run.signal('SIGKILL');
  await run.waitExit();
  const killedAt = Date.now();
  await waitUntil(() => run.leftovers().length === 0 && !pidAlive(watchdog), {
    timeoutMs: 10_000,
    intervalMs: 20,
    what: () => `no process left (left: ${run.leftovers().join(', ')})`,
  });
  t.diagnostic(`all ${started.length} processes and the watchdog gone ${Date.now() - killedAt} ms after the SIGKILL of up`);
  assert.match(readFileSync(`${run.layout.root}/lifeline.log`, 'utf8'), /SIGKILLed process groups/);
  assert.ok(!existsSync(`${run.layout.root}/lifeline.json`), 'the reaper deletes the record');
});

test('a clean shutdown releases the watchdog: it exits and kills nothing', async (t) => {
  const run = await LbDevRun.start({ groups: { app: groups.app } });
  t.after(() => run.cleanup());
  await run.waitAllReady(2);
  const watchdog = lifelinePidOf(run);
  run.signal('SIGINT');
  assert.equal((await run.waitExit()).code, 0, run.tail());
  assert.ok(!pidAlive(watchdog), 'the watchdog exits with up');
  assert.doesNotMatch(readFileSync(`${run.layout.root}/lifeline.log`, 'utf8'), /cleaning up/);
  assert.ok(!existsSync(`${run.layout.root}/lifeline.json`), 'a release removes the record');
});
