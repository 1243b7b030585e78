// EADDRINUSE at start-up: a port really taken by another process is retried on a new port
// at once; an app that insists on a port of its own is a crash loop with backoff, not a
// tight respawn loop.
import assert from 'node:assert/strict';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { type Server, createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { FAST_GROUP, LbDevRun, cleanupAll, fixture, nodeFixture } from '../../helpers/lb-dev/index.js';

after(cleanupAll);

test('its port taken by another process (EADDRINUSE): retried at once on a new port, no crash counted', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'lbdt-port-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  // First attempt: something else grabs $PORT before the app binds it; later attempts run normally.
  const script = join(dir, 'first-conflict.sh');
  await writeFile(
    script,
    `#!/bin/sh
if [ ! -f "$MARK" ]; then
  touch "$MARK"
  node -e "require('net').createServer().listen(+process.env.PORT, '127.0.0.1'); setTimeout(() => {}, 20000)" &
  sleep 0.5
fi
exec node ${fixture('eaddrinuse.mjs')}
`,
  );
  await chmod(script, 0o755);
  const retry = await LbDevRun.start({
    groups: { app: { command: script, instances: 1, env: { MARK: join(dir, 'attempted') }, ...FAST_GROUP } },
  });
  t.after(() => retry.cleanup());
  const report = await retry.waitAllReady(1, 20_000);
  const app = report.instances[0]!;
  const first = Number(/starting on port (\d+)/.exec(retry.output())![1]);
  assert.notEqual(app.port, first, 'ready on a new port');
  assert.match(retry.output(), /its port was taken by another process \(EADDRINUSE\); retrying on a new port/);
  assert.equal(app.crashesInARow, 0, 'not counted as a crash');
  assert.equal(app.restarts, 0);
  assert.deepEqual(await retry.serverUrls(), [`http://127.0.0.1:${app.port}`]);
  retry.signal('SIGINT');
  assert.equal((await retry.waitExit()).code, 0);
  assert.deepEqual(retry.leftovers(), [], 'the process that held the port (an orphan of the first tree) is gone too');
});

test('an app that always binds a taken port of its own backs off like any crash loop', async (t) => {
  const blocker: Server = createServer();
  await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', () => resolve()));
  t.after(() => new Promise<void>((resolve) => blocker.close(() => resolve())));
  const taken = (blocker.address() as AddressInfo).port;
  const run = await LbDevRun.start({
    groups: {
      app: {
        command: `PORT=${taken} ${nodeFixture('eaddrinuse.mjs')}`,
        instances: 1,
        ...FAST_GROUP,
        restart: { initialDelay: '300ms', multiplier: 2, maxDelay: '5s', jitter: 0 },
      },
    },
  });
  t.after(() => run.cleanup());
  await run.waitStarted();
  const began = Date.now();
  const app = await run.waitFor((r) => (r.instances[0]!.crashesInARow >= 3 ? r.instances[0] : null), 'three crashes in a row');
  const spawns = (run.output().match(/starting on port/g) ?? []).length;
  t.diagnostic(`${spawns} spawns in ${Date.now() - began}ms; crashesInARow ${app.crashesInARow}, restarts ${app.restarts}`);
  // Each exit counted as a crash (a port-conflict retry would spawn again without counting one).
  assert.ok(spawns <= app.crashesInARow + 1, `${spawns} spawns for ${app.crashesInARow} crashes: retried without backoff`);
  assert.equal(app.lastExit?.code, 1);
  // Backoff 300, 600, 1200ms (jitter 0): the delays grow.
  assert.match(run.output(), /exited with code 1; restarting in 0\.3s/);
  // The pane folds the second crash of the loop (crash-fold.ts): the count and its error line, not the trace again.
  assert.match(run.output(), /exited with code 1 \(x2\): Error: listen EADDRINUSE: address already in use 127\.0\.0\.1:\d+; restarting in 0\.6s/);
  assert.equal((run.output().match(/Unhandled 'error' event/g) ?? []).length, 1, 'the stack trace shows once');
});
