// The end of `up` (`lb-dev down`, Ctrl-C) is a normal event for the commands that follow it,
// and what it logged stays readable: `logs -f` and `status --watch` say "lb-dev stopped" and
// exit 0; `lb-dev logs` afterwards reads the log files left in the state dir.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { FAST_GROUP, LbDevRun, cleanupAll, fixture } from '../../helpers/lb-dev/index.js';
import { waitUntil } from '../../helpers/wait.js';

let run: LbDevRun;
// 150 lines before it serves: more than the 100 that `logs` prints without -n.
const command = `for i in $(seq 1 150); do echo chatter-$i; done; exec node ${fixture('http-ok.mjs')}`;

before(async () => {
  run = await LbDevRun.start({ groups: { app: { command, instances: 1, ...FAST_GROUP } } });
  await run.waitAllReady(1);
});
after(cleanupAll);

const exitOf = (child: ReturnType<LbDevRun['spawnCli']>) =>
  new Promise<number | null>((resolve) => {
    if (child.exitCode !== null) resolve(child.exitCode);
    else child.once('exit', (code) => resolve(code));
  });

test('`--since` without -n is not cut at 100 lines', async () => {
  const since = await run.cli(['logs', '1', '--since', '10m']);
  assert.equal(since.code, 0, since.stderr);
  assert.equal(since.stdout.split('\n').filter((l) => /^chatter-\d+$/.test(l)).length, 150);
  const plain = await run.cli(['logs', '1']);
  assert.equal(plain.stdout.trimEnd().split('\n').length, 100);
});

test('`logs -f` and `status --watch` end with "lb-dev stopped" and exit 0 when `up` ends; `logs` then reads the files', async () => {
  const follower = run.spawnCli(['logs', '-f', '-n', '1']);
  const watcher = run.spawnCli(['status', '--watch']);
  await waitUntil(() => follower.stdoutText().includes('\n') && /INSTANCE/.test(watcher.stdoutText()), {
    timeoutMs: 15_000,
    what: () => `both connected: ${follower.stdoutText()} / ${watcher.stdoutText()}`,
  });
  const down = await run.cli(['down']);
  assert.equal(down.code, 0, down.stderr);
  const [followerCode, watcherCode] = await Promise.all([exitOf(follower), exitOf(watcher)]);
  assert.equal(followerCode, 0, follower.stdoutText());
  assert.equal(watcherCode, 0, watcher.stdoutText());
  assert.match(follower.stdoutText(), /lb-dev stopped/);
  assert.match(watcher.stdoutText(), /lb-dev stopped; nothing is running\n$/);
  assert.doesNotMatch(follower.stdoutText() + watcher.stdoutText(), /NOT_RUNNING/);
  await run.waitExit();

  const offline = await run.cli(['logs', '1', '-n', '200']);
  assert.equal(offline.code, 0, offline.stderr);
  assert.equal(offline.stdout.split('\n').filter((l) => /^chatter-\d+$/.test(l)).length, 150, offline.stdout);
  const all = await run.cli(['logs', '--since', '10m']);
  assert.equal(all.code, 0, all.stderr);
  assert.match(all.stdout, /app-1 +\| chatter-1\n/);
  assert.match(all.stdout, /lb-dev +\| .*stopped; nothing left running/);
  const follow = await run.cli(['logs', '-f']);
  assert.equal(follow.code, 3, 'nothing to follow once up has ended');
  assert.match(follow.stderr, /NOT_RUNNING/);
});
