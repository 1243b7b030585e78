// `lb-dev logs`, `logs -f` and `chaos` from other processes against a running
// `up --traefik external`.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { FAST_GROUP, LbDevRun, cleanupAll, nodeFixture } from '../../helpers/lb-dev/index.js';
import { sampleUntil, waitUntil } from '../../helpers/wait.js';

let run: LbDevRun;

/** Waits for `text` in an instance's log file (what `lb-dev logs` reads once `up` has ended). */
async function logged(instance: string, text: string): Promise<void> {
  const file = join(run.stateDir, 'logs', `${instance}.log`);
  const content = () => (existsSync(file) ? readFileSync(file, 'utf8') : '');
  await waitUntil(() => content().includes(text), { timeoutMs: 10_000, what: () => `${text} in ${file}:\n${content().slice(-2000)}` });
}

before(async () => {
  run = await LbDevRun.start({ groups: { app: { command: nodeFixture('http-ok.mjs'), instances: 3, ...FAST_GROUP } } });
  await run.waitAllReady(3);
});
after(cleanupAll);

test('`logs 2 -n 5` prints its last 5 lines (output and lifecycle events) without a prefix', async () => {
  const result = await run.cli(['logs', '2', '-n', '5']);
  assert.equal(result.code, 0, result.stderr);
  const lines = result.stdout.trimEnd().split('\n');
  assert.ok(lines.length >= 2 && lines.length <= 5, `at most 5 lines: ${JSON.stringify(lines)}`);
  assert.ok(
    lines.some((l) => /http-ok app-2 listening on \d+/.test(l)),
    result.stdout,
  );
  assert.ok(
    lines.some((l) => /ready after/.test(l)),
    result.stdout,
  );
  assert.ok(!result.stdout.includes('app-1'), "only app-2's lines");

  const json = await run.cli(['logs', 'app-2', '-n', '1', '--json']);
  const parsed = json.stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
  assert.equal(parsed.length, 1);
  assert.equal(parsed[0].source, 'app-2');
});

test("`logs -f 2` follows across `kill 2`: lifecycle events and the new process's lines", async (t) => {
  const follower = run.spawnCli(['logs', '-f', '2', '-n', '1']);
  t.after(() => {
    follower.kill('SIGKILL');
  });
  // Its one line of backlog says it is connected and following.
  await waitUntil(() => follower.stdoutText().endsWith('\n'), { timeoutMs: 15_000, what: "the follower's backlog line" });
  const backlog = follower.stdoutText().length;
  const fresh = () => follower.stdoutText().slice(backlog);
  const old = run.instance(await run.status(), 'app-2');
  const kill = await run.cli(['kill', '2']);
  assert.equal(kill.code, 0, kill.stderr);
  await logged('app-2', 'SIGKILL sent by `lb-dev kill`');
  const text = await waitUntil(
    () => {
      const out = fresh();
      return /killed by SIGKILL; restarting/.test(out) && /http-ok app-2 listening/.test(out) && /ready after/.test(out) ? out : null;
    },
    { timeoutMs: 15_000, what: () => `the follower to show the kill and the restart; got:\n${fresh()}` },
  );
  t.diagnostic(`logs -f saw:\n${text.trimEnd()}`);
  const order = ['SIGKILL sent by `lb-dev kill`', 'killed by SIGKILL; restarting', 'starting on port', 'http-ok app-2 listening', 'ready after'];
  let at = -1;
  for (const marker of order) {
    const i = text.indexOf(marker, at + 1);
    assert.ok(i > at, `"${marker}" after the previous line in:\n${text}`);
    at = i;
  }
  assert.ok(!/app-1|app-3/.test(text), 'only app-2');
  const now = run.instance(await run.status(), 'app-2');
  assert.notEqual(now.pid, old.pid);
  assert.equal(follower.exitCode, null, 'still following');
  follower.kill('SIGINT');
  const exit = await new Promise<number | null>((resolve) => follower.once('exit', (code) => resolve(code)));
  assert.equal(exit, 0, 'Ctrl-C ends `logs -f` cleanly');
});

test('`chaos --interval 300ms --duration 2s --keep 2` never lets fewer than 2 be ready and exits 0', async (t) => {
  await run.waitAllReady(3);
  let minReady = Infinity;
  let minRouted = Infinity;
  const chaosRun = run.cli(['chaos', '--interval', '300ms', '--duration', '2s', '--keep', '2', '--json'], { timeoutMs: 20_000 });
  const chaos = await sampleUntil(
    chaosRun,
    async () => {
      const report = await run.status();
      minReady = Math.min(minReady, report.instances.filter((i) => i.state === 'ready').length);
      minRouted = Math.min(minRouted, report.routes.written.length);
    },
    20,
  );
  assert.equal(chaos.code, 0, chaos.stderr);
  const events = chaos.stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { event: string; kills?: number });
  const kills = events.filter((e) => e.event === 'kill').length;
  t.diagnostic(`chaos: ${kills} kill(s), ${events.filter((e) => e.event === 'skip').length} skip(s); min ready ${minReady}, min routed ${minRouted}`);
  assert.equal(events[0]?.event, 'start');
  assert.equal(events.at(-1)?.event, 'stop');
  assert.equal(events.at(-1)?.kills, kills);
  assert.ok(kills >= 1, 'it killed something');
  for (const event of events) if (event.event === 'kill') await logged((event as { instance?: string }).instance!, 'SIGKILL sent by `lb-dev chaos`');
  assert.ok(minReady >= 2, `never fewer than 2 ready (min ${minReady})`);
  assert.ok(minRouted >= 2, `never fewer than 2 routed (min ${minRouted})`);
  await run.waitAllReady(3);
});

test('SIGINT afterwards leaves nothing running', async () => {
  run.signal('SIGINT');
  assert.equal((await run.waitExit()).code, 0, run.tail());
  assert.deepEqual(run.leftovers(), []);
});
