// Instance (src/app/instance.ts): what it reports of a run: a spawn that fails, an app that
// ignores $PORT, output at the exit, the route change an exit causes.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';

import { killInstanceLeftovers, makeInstance, ready } from './instance-harness.js';

after(killInstanceLeftovers);

// A spawn the OS refuses says why (in the log and in status) and, as it would fail the same
// way again, stops instead of restarting for ever.
for (const [what, settings] of [
  ['a missing working directory', { cwd: '/nonexistent/lb-dev-test-cwd' }],
  ['a NUL byte in the command', { command: 'node -e 0 \u0000' }],
  ['a 1 MB command line (E2BIG)', { command: `node -e 0 ${'x'.repeat(1 << 20)}` }],
] as const) {
  test(`a failed spawn (${what}) is logged and shown in status, and not restarted`, async () => {
    const { instance, events } = makeInstance(settings);
    instance.start();
    await ready(instance);
    const status = instance.status();
    assert.equal(status.state, 'stopped');
    assert.equal(status.desired, 'stopped');
    assert.match(status.lastExit?.reason ?? '', /^(ENOENT|E2BIG|ERR_INVALID_ARG_VALUE)\b/);
    const said = events.find((e) => e.startsWith('could not start'));
    assert.ok(said?.includes(status.lastExit!.reason!) && said.includes('not restarting'), events.join('\n'));
    assert.ok(
      events.every((e) => e.length < 1_000),
      'no event line carries the whole command',
    );
    assert.equal(status.restarts, 0);
  });
}

test('an app that ignores $PORT: the start timeout says nothing listens on its port, and where its processes listen', async () => {
  const { instance, events, lines, until } = makeInstance({
    command: `node -e "const s = require('net').createServer().listen(0, '127.0.0.1', () => console.log('on', s.address().port))"`,
    readiness: { http: { interval: '50ms', timeout: '500ms' }, startTimeout: '1s' },
    restart: { enabled: false },
  });
  instance.start();
  await until(() => lines.some((l) => l.startsWith('on ')));
  const ownPort = lines.find((l) => l.startsWith('on '))!.slice(3);
  await until(() => instance.phase === 'stopped');
  const said = events.find((e) => e.startsWith('not ready within the start timeout'));
  assert.ok(said, events.join('\n'));
  assert.match(said, new RegExp(`nothing listens on its port ${instance.status().port} \\(\\$PORT\\); its processes listen on ${ownPort} instead`));
});

test('a line still being written when the process exits is not cut in two: lines end where the pipe ends', async () => {
  // The leader prints half a line and exits; a descendant in a session of its own (the group
  // reaping does not reach it) still holds the pipe and finishes the line after the exit.
  const tail = `setTimeout(() => process.stdout.write(' second half\\nafter\\n'), 300)`;
  const script = `process.stdout.write('first half'); require('child_process').spawn(process.execPath, ['-e', ${JSON.stringify(tail)}], { detached: true, stdio: ['ignore', 'inherit', 'ignore'] }).unref();`;
  const { instance, lines, until } = makeInstance({
    command: `node -e ${JSON.stringify(script)}`,
    readiness: { http: false, logPattern: 'never printed' },
    restart: { enabled: false },
  });
  instance.start();
  await until(() => lines.includes('after'));
  assert.deepEqual(lines, ['first half second half', 'after']);
  await instance.stop();
  instance.releasePorts();
});

test('a route change tells when the exit that caused it was seen; joining and draining tell none', async () => {
  const { instance, deps, until } = makeInstance();
  const changes: Array<{ inBalancer: boolean; exitSeenAt: number | null }> = [];
  deps.onRoutesChanged = (changed, exitSeenAt) => changes.push({ inBalancer: changed.takesTraffic, exitSeenAt });
  instance.start();
  await ready(instance);
  instance.setDrained(true);
  instance.setDrained(false);
  const killedAt = Date.now();
  await instance.signal('SIGKILL');
  await until(() => instance.phase !== 'ready');
  assert.deepEqual(changes.slice(0, 3), [
    { inBalancer: true, exitSeenAt: null },
    { inBalancer: false, exitSeenAt: null },
    { inBalancer: true, exitSeenAt: null },
  ]);
  const exit = changes[3];
  assert.equal(exit?.inBalancer, false);
  assert.ok(exit.exitSeenAt !== null && exit.exitSeenAt >= killedAt && exit.exitSeenAt <= Date.now(), `exit seen at ${exit.exitSeenAt}`);
  await instance.stop();
});
