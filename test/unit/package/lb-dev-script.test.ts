// `npm run lb:dev` as users (and IDEs, process managers, CI timeouts) stop it: a signal to npm's
// own process only. The script must leave no shell between npm and lb-dev, or the signal stops
// at the shell and lb-dev keeps every instance running.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { LbDevRun, cleanupAll, pidAlive, waitUntil } from '../../helpers/lb-dev/index.js';

after(cleanupAll);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  test(`${signal} to npm's process stops lb-dev and every instance`, async (t) => {
    const run = await LbDevRun.start({ npmScript: true });
    t.after(() => run.cleanup());
    // The script builds first (tsc): generous.
    const report = await run.waitAllReady(3, 120_000);
    const pids = [report.pid, ...report.instances.map((i) => i.pid!)];
    assert.notEqual(report.pid, run.pid, 'up runs under npm, in a process of its own');
    process.kill(run.pid, signal);
    const exit = await run.waitExit(30_000);
    await waitUntil(() => pids.every((pid) => !pidAlive(pid)), { timeoutMs: 10_000, what: `lb-dev ${report.pid} and its instances gone` });
    assert.deepEqual(run.leftovers(), []);
    t.diagnostic(`npm exited ${JSON.stringify(exit)}`);
  });
}
