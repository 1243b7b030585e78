// CLI control calls against a real `up --traefik external` that is frozen (SIGSTOP: the kernel
// still accepts its control connections, nothing answers): `lb-dev status` ends with
// CONTROL_TIMEOUT (exit 3) after LB_DEV_CONTROL_TIMEOUT, or 10 s, instead of hanging. Calls that
// take longer than the timeout while `up` works (a rolling restart, `logs -f` with nothing to
// print) still succeed: `up`'s heartbeats keep them alive. A bad LB_DEV_CONTROL_TIMEOUT is USAGE.
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { after, before, test } from 'node:test';
import { FAST_GROUP, LbDevRun, cleanupAll, nodeFixture, runCli } from '../../helpers/lb-dev/index.js';
import { spawnLbDev } from '../../helpers/lb-dev/cli.js';
import { holdsFor, waitUntil } from '../../helpers/wait.js';

let run: LbDevRun;
const followers: ChildProcess[] = [];

before(async () => {
  run = await LbDevRun.start({ groups: { app: { command: nodeFixture('http-ok.mjs'), instances: 2, ...FAST_GROUP } } });
  await run.waitAllReady(2);
});
after(async () => {
  for (const f of followers) f.kill('SIGKILL');
  run.signal('SIGCONT');
  await cleanupAll();
});

const client = (args: string[], env: NodeJS.ProcessEnv = {}) => runCli([...args, '--state-dir', run.stateDir], { env, timeoutMs: 40_000 });

test('`lb-dev status` against a SIGSTOPped `up`: CONTROL_TIMEOUT, exit 3, after LB_DEV_CONTROL_TIMEOUT or the default 10 s', async () => {
  run.signal('SIGSTOP');
  try {
    const short = await client(['status'], { LB_DEV_CONTROL_TIMEOUT: '1500' });
    assert.equal(short.code, 3, `${short.code} ${short.signal} ${short.stderr}`);
    assert.match(short.stderr, new RegExp(`lb-dev up \\(pid ${run.pid}\\) did not answer \`status\` within 1\\.5s \\[CONTROL_TIMEOUT\\]`));
    assert.match(short.stderr, new RegExp(`fix: .*frozen.*\`kill -CONT ${run.pid}\`.*\`lb-dev down\``));
    assert.equal(short.stdout, '');

    const byDefault = await client(['status', '--json']);
    assert.equal(byDefault.code, 3, `${byDefault.code} ${byDefault.signal} ${byDefault.stderr}`);
    assert.match(byDefault.stderr, /did not answer `status` within 10s \[CONTROL_TIMEOUT\]/);
    assert.ok(byDefault.ms >= 10_000, `ended after ${byDefault.ms} ms, before the default timeout`);
  } finally {
    run.signal('SIGCONT');
  }
  // Resumed, it answers again.
  const resumed = await client(['status', '--json'], { LB_DEV_CONTROL_TIMEOUT: '1500' });
  assert.equal(resumed.code, 0, resumed.stderr);
});

test('a bad LB_DEV_CONTROL_TIMEOUT is USAGE naming the variable, the value and what is accepted', async () => {
  for (const value of ['10s', '-5', '99', '1.5', 'abc', '2147483648']) {
    const result = await client(['status'], { LB_DEV_CONTROL_TIMEOUT: value });
    assert.equal(result.code, 2, `${value}: ${result.stderr}`);
    assert.ok(
      result.stderr.includes(
        `LB_DEV_CONTROL_TIMEOUT: expected a whole number of milliseconds from 100 to 2147483647 (e.g. 30000 for 30 s), got ${JSON.stringify(value)} [USAGE]`,
      ),
      `${value}: ${result.stderr}`,
    );
  }
});

test('a rolling restart that takes many times LB_DEV_CONTROL_TIMEOUT succeeds while `up` sends heartbeats', async () => {
  const result = await client(['restart', '--all', '--rolling', '--drain', '1s', '--json'], { LB_DEV_CONTROL_TIMEOUT: '400' });
  assert.equal(result.code, 0, result.stderr);
  const answer = JSON.parse(result.stdout) as { restarted: Array<{ instance: string; ms: number }> };
  assert.deepEqual(answer.restarted.map((r) => r.instance).sort(), ['app-1', 'app-2']);
  assert.ok(
    answer.restarted.every((r) => r.ms >= 1_000),
    `each took longer than the 400 ms timeout: ${result.stdout}`,
  );
  await run.waitAllReady(2);
});

test('`logs -f` with nothing to print for many times LB_DEV_CONTROL_TIMEOUT keeps following, then prints the next line', async () => {
  const follower = spawnLbDev(['logs', '-f', '-n', '1', '2', '--state-dir', run.stateDir], { env: { LB_DEV_CONTROL_TIMEOUT: '300' } });
  followers.push(follower);
  let text = '';
  follower.stdout!.on('data', (c: Buffer) => {
    text += c.toString('utf8');
  });
  follower.stderr!.on('data', (c: Buffer) => {
    text += c.toString('utf8');
  });
  // Connected once it printed the one line of backlog; then nothing comes for 5x its timeout.
  await waitUntil(() => text.length > 0, { timeoutMs: 30_000, what: 'the backlog line of `logs -f -n 1`' });
  const backlog = text;
  await holdsFor(
    () => follower.exitCode === null && follower.signalCode === null,
    1_500,
    () => `\`logs -f\` still following; it printed: ${text}`,
  );
  assert.equal(text, backlog, 'nothing new was printed meanwhile (the silence was real)');
  await run.call('kill', { instance: '2', signal: 'SIGKILL', random: false });
  await waitUntil(() => /exited|killed|SIGKILL/.test(text), { what: () => `the kill of app-2 in the follower's output: ${JSON.stringify(text)}` });
  assert.equal(follower.exitCode, null, text);
  await run.waitAllReady(2);
});
