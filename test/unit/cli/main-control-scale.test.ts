// `lb-dev scale` from another process against a running `up --traefik external`: the
// dynamic config follows, and removed instances leave no process behind.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { FAST_GROUP, LbDevRun, cleanupAll, nodeFixture, pidAlive } from '../../helpers/lb-dev/index.js';
import { holdsFor, waitUntil } from '../../helpers/wait.js';

const urlOf = (port: number | null) => `http://127.0.0.1:${port}`;
let run: LbDevRun;

before(async () => {
  run = await LbDevRun.start({ groups: { app: { command: nodeFixture('http-ok.mjs'), instances: 3, ...FAST_GROUP } } });
  await run.waitAllReady(3);
});
after(cleanupAll);

test("`scale 5` then `scale 2`: the config follows, removed instances' processes are gone", async () => {
  const up = await run.cli(['scale', '5']);
  assert.equal(up.code, 0, up.stderr);
  assert.equal(up.stdout.trim(), '5 instances; started app-4 (ready), app-5 (ready)', 'scale waits for the new ones, as start does');
  const five = await run.waitAllReady(5);
  assert.deepEqual(await run.serverUrls(), five.instances.map((i) => urlOf(i.port)).sort());
  assert.equal(new Set(five.instances.map((i) => i.port)).size, 5);

  const removed = five.instances.filter((i) => i.index > 2);
  const down = await run.cli(['scale', '2', '--json']);
  assert.equal(down.code, 0, down.stderr);
  assert.deepEqual(JSON.parse(down.stdout), { added: [], removed: ['app-3', 'app-4', 'app-5'], states: {}, instances: 2 });
  const two = await run.status();
  assert.deepEqual(
    two.instances.map((i) => i.name),
    ['app-1', 'app-2'],
  );
  for (const i of removed) assert.equal(pidAlive(i.pid!), false, `${i.name} (pid ${i.pid}) is gone`);
  assert.deepEqual(await run.serverUrls(), two.instances.map((i) => urlOf(i.port)).sort());
  const stray = run.leftovers().filter((pid) => !two.instances.some((i) => i.pid === pid));
  assert.deepEqual(stray, [], 'no process besides the two instances');

  // Scale up and down at once (straight on the socket, so the two really overlap), a few
  // times: no instance may be left running untracked.
  for (const [upTo, downTo] of [
    [4, 2],
    [6, 3],
    [5, 1],
    [3, 2],
  ] as const) {
    const [grown, shrunk] = await Promise.all([run.call('scale', { count: upTo }), run.call('scale', { count: downTo })]);
    assert.ok(grown && shrunk);
  }
  const settled = await run.waitAllReady(2);
  const tracked = new Set(settled.instances.map((i) => i.pid));
  const untracked = () => run.leftovers().filter((pid) => !tracked.has(pid));
  // A removed instance may take a moment to exit; then no untracked process may appear.
  await waitUntil(() => untracked().length === 0, { timeoutMs: 5_000, what: () => `no untracked process; left: ${untracked().join(', ')}` });
  await holdsFor(() => untracked().length === 0, 300, 'no untracked process');
  assert.deepEqual(untracked(), [], 'every running process is a tracked instance');
  assert.deepEqual(await run.serverUrls(), settled.instances.map((i) => urlOf(i.port)).sort());
});

test('unknown instance names exit 2 with INSTANCE_NOT_FOUND and the list of names', async () => {
  const result = await run.cli(['stop', '9']);
  assert.equal(result.code, 2, result.stderr);
  assert.match(result.stderr, /INSTANCE_NOT_FOUND/);
  assert.match(result.stderr, /expected one of app-1, app-2/);
});

test('`restart --all` with no instances says so', async () => {
  assert.equal((await run.cli(['scale', '0'])).code, 0);
  const restart = await run.cli(['restart', '--all']);
  assert.equal(restart.code, 0, restart.stderr);
  assert.match(restart.stdout, /^no instances to restart/);
});

test('SIGINT afterwards leaves nothing running', async () => {
  run.signal('SIGINT');
  assert.equal((await run.waitExit()).code, 0, run.tail());
  assert.deepEqual(run.leftovers(), []);
});
