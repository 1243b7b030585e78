// The dashboard's API against a real `up --traefik external` (real instances, no browser):
// each action goes through the control operation, chaos runs and stops, the log stream follows.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { FAST_GROUP, LbDevRun, cleanupAll, nodeFixture, waitUntil } from '../../helpers/lb-dev/index.js';

let run: LbDevRun;
let origin: string;
let token: string;

const post = async (path: string, body: unknown) => {
  const res = await fetch(`${origin}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-lb-dev-token': token },
    body: JSON.stringify(body),
  });
  return {
    status: res.status,
    body: (await res.json()) as { result?: Record<string, unknown>; error?: { code: string; message: string }; chaos?: { on: boolean; kills: number } },
  };
};

before(async () => {
  run = await LbDevRun.start({ groups: { app: { command: nodeFixture('http-ok.mjs'), instances: 3, ...FAST_GROUP } } });
  const report = await run.waitAllReady(3);
  const url = new URL(report.dashboardUrl!);
  origin = url.origin;
  token = url.searchParams.get('token')!;
});

after(cleanupAll);

/** An instance's log file as written so far. */
const logOf = (instance: string) => {
  const file = join(run.stateDir, 'logs', `${instance}.log`);
  return existsSync(file) ? readFileSync(file, 'utf8') : '';
};
const logged = (instance: string, text: string) =>
  waitUntil(() => logOf(instance).includes(text), { timeoutMs: 10_000, what: () => `${text} in ${instance}'s log:\n${logOf(instance).slice(-2000)}` });

test('kill, stop, start and scale from the API do what the CLI does', async () => {
  const before = run.instance(await run.status(), 'app-1');
  const killed = await post('/api/kill', { instance: 'app-1', signal: 'SIGTERM', by: 'kill' });
  assert.equal(killed.status, 200, JSON.stringify(killed.body));
  assert.deepEqual(killed.body.result, { instance: 'app-1', pid: before.pid, signal: 'SIGTERM' });
  // Attributed to the dashboard, even when the body claims otherwise.
  await logged('app-1', 'SIGTERM sent by the dashboard');
  assert.doesNotMatch(logOf('app-1'), /sent by `lb-dev kill`/);
  await run.waitFor((r) => {
    const i = run.instance(r, 'app-1');
    return i.state === 'ready' && i.restarts === before.restarts + 1;
  }, 'app-1 restarted');

  assert.equal((await post('/api/stop', { instance: '2' })).body.result?.['state'], 'stopped');
  assert.equal((await post('/api/start', { instance: 'app-2' })).body.result?.['state'], 'ready');
  assert.deepEqual((await post('/api/scale', { group: 'app', count: 4 })).body.result?.['added'], ['app-4']);
  await run.waitAllReady(4);
  assert.deepEqual((await post('/api/scale', { group: 'app', count: 3 })).body.result?.['removed'], ['app-4']);

  const unknown = await post('/api/kill', { instance: 'app-9' });
  assert.equal(unknown.status, 404);
  assert.equal(unknown.body.error?.code, 'INSTANCE_NOT_FOUND');
  const badSignal = await post('/api/kill', { instance: 'app-1', signal: 'SIGNOPE' });
  assert.equal(badSignal.status, 400);
  assert.equal(badSignal.body.error?.code, 'USAGE');
});

test('chaos from the API kills while keeping `keep` ready, and stops', async () => {
  await run.waitAllReady(3);
  const on = await post('/api/chaos', { on: true, intervalMs: 200, keep: 2, signal: 'SIGKILL' });
  assert.equal(on.status, 200, JSON.stringify(on.body));
  assert.equal(on.body.chaos?.on, true);
  let minReady = Infinity;
  const state = async () =>
    (await (await fetch(`${origin}/api/state`, { headers: { 'x-lb-dev-token': token } })).json()) as { state: { chaos: { kills: number } } };
  await waitUntil(
    async () => {
      const report = await run.status();
      minReady = Math.min(minReady, report.instances.filter((i) => i.state === 'ready').length);
      return (await state()).state.chaos.kills >= 2;
    },
    { timeoutMs: 20_000, intervalMs: 20, what: 'two chaos kills' },
  );
  const off = await post('/api/chaos', { on: false });
  const names = ['app-1', 'app-2', 'app-3'];
  await waitUntil(() => names.some((name) => logOf(name).includes("SIGKILL sent by the dashboard's chaos switch")), {
    timeoutMs: 10_000,
    what: () => `a chaos kill attributed to the dashboard's chaos switch:\n${names.map(logOf).join('\n').slice(-3000)}`,
  });
  assert.equal(off.body.chaos?.on, false);
  assert.ok(minReady >= 2, `never fewer than 2 ready (min ${minReady})`);
  assert.equal((await post('/api/chaos', { on: 'yes' })).body.error?.code, 'DASHBOARD_BAD_REQUEST');
  assert.equal((await post('/api/chaos', { on: true, intervalMs: 5 })).body.error?.code, 'USAGE');
  await run.waitAllReady(3);
});

test('the log stream sends the backlog, then follows', async () => {
  const abort = new AbortController();
  const res = await fetch(`${origin}/api/logs?source=app-3&lines=5&token=${token}`, { signal: abort.signal });
  assert.equal(res.headers.get('content-type'), 'text/event-stream; charset=utf-8');
  const reader = res.body!.getReader();
  let text = '';
  const readUntil = async (pattern: RegExp) => {
    while (!pattern.test(text)) {
      const { value, done } = await reader.read();
      if (done) throw new Error(`stream ended before ${pattern}: ${text}`);
      text += Buffer.from(value).toString('utf8');
    }
  };
  await readUntil(/listening on/);
  await post('/api/restart', { instance: 'app-3' });
  await readUntil(/restart requested/);
  abort.abort();
  const missing = await fetch(`${origin}/api/logs?source=app-7&token=${token}`);
  assert.equal(missing.status, 404);
});
