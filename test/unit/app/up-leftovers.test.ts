// An `up` that is SIGKILLed cannot stop its instances: its lifeline watchdog does
// (test/unit/app/up-lifeline.test.ts). When the watchdog is gone too, the next `up` with the
// same state dir finds them by their LB_DEV_STATE_DIR marker and stops them before starting its own.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { after, test } from 'node:test';
import { FAST_GROUP, LbDevRun, cleanupAll, fixture, nodeFixture, pidAlive, waitUntil } from '../../helpers/lb-dev/index.js';

after(cleanupAll);

test('instances left by a SIGKILLed up are stopped by the next up with the same state dir', async (t) => {
  const groups = {
    app: { command: nodeFixture('http-ok.mjs'), instances: 2, ...FAST_GROUP },
    kids: { command: `${fixture('wrapper.sh')} ${fixture('grandchildren.mjs')}`, instances: 1, ...FAST_GROUP },
  };
  const first = await LbDevRun.start({ groups });
  t.after(() => first.cleanup());
  await first.waitAllReady(3);
  const orphans = first.leftovers();
  assert.ok(orphans.length >= 6, `2 http-ok + wrapper, node, 2 grandchildren: ${orphans.length}`);

  // The watchdog first (as if the machine's OOM killer took both): nothing cleans up after `up`.
  const { lifelinePid } = JSON.parse(readFileSync(first.layout.runFile, 'utf8')) as { lifelinePid: number };
  process.kill(lifelinePid, 'SIGKILL');
  await waitUntil(() => !pidAlive(lifelinePid), { timeoutMs: 5_000, what: 'the watchdog to be gone' });
  first.signal('SIGKILL');
  await first.waitExit();
  // Nobody stopped them: they still run, and the socket file is stale.
  for (const pid of orphans) assert.ok(pidAlive(pid), `${pid} survives its supervisor`);
  assert.ok(existsSync(first.layout.socket), 'a SIGKILLed up leaves its socket file');
  const status = await first.cli(['status']);
  assert.equal(status.code, 3, 'a stale socket reads as not running');
  assert.match(status.stderr, /NOT_RUNNING/);

  const second = await LbDevRun.start({ groups, stateDir: first.stateDir, port: first.port });
  t.after(() => second.cleanup());
  const report = await second.waitAllReady(3, 30_000);
  for (const pid of orphans) {
    await waitUntil(() => !pidAlive(pid), { timeoutMs: 5_000, what: `leftover ${pid} to be stopped` });
  }
  assert.match(second.output(), /stopped \d+ process group\(s\) left by an earlier lb-dev/);
  const fresh = report.instances.map((i) => i.pid!);
  for (const pid of fresh) assert.ok(!orphans.includes(pid));
  assert.deepEqual(
    second.leftovers().filter((pid) => orphans.includes(pid)),
    [],
  );
  assert.equal((await second.serverUrls())?.length, 3);

  second.signal('SIGINT');
  assert.equal((await second.waitExit()).code, 0, second.tail());
  assert.deepEqual(second.leftovers(), []);
});
