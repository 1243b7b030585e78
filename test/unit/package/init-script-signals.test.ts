// The `lb:dev` script `init` writes, run as users run it (`npm run lb:dev`, `yarn lb:dev`) and
// stopped as IDEs, process managers and CI timeouts stop it: a signal to the package manager's
// own process only. npm passes SIGINT/SIGTERM on to its script; yarn 1 does not (it exits and
// leaves the script running): lb-dev must stop everything either way.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { LB_DEV_SCRIPT } from '../../../src/app/init.js';
import { LbDevRun, Workspace, cleanupAll, pidAlive, waitUntil } from '../../helpers/lb-dev/index.js';
import { scriptRunners, writeProject } from '../../helpers/package-managers.js';

after(cleanupAll);

const runners = scriptRunners();
for (const [manager, script] of Object.entries(runners)) {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    test(`${signal} to ${manager}'s process stops the lb:dev script init writes, and every instance`, async (t) => {
      const ws = await Workspace.create();
      await writeProject(ws.dir, { [LB_DEV_SCRIPT.name]: LB_DEV_SCRIPT.command });
      const run = LbDevRun.startIn(ws, { script });
      t.after(() => run.cleanup());
      const report = await run.waitAllReady(3, 60_000);
      const pids = [report.pid, ...report.instances.map((i) => i.pid!)];
      assert.notEqual(report.pid, run.pid, `up runs under ${manager}, in a process of its own`);
      process.kill(run.pid, signal);
      await run.waitExit(30_000);
      await waitUntil(() => pids.every((pid) => !pidAlive(pid)), { timeoutMs: 20_000, what: `lb-dev ${report.pid} and its instances gone` });
      assert.deepEqual(run.leftovers(), []);
    });
  }
}
