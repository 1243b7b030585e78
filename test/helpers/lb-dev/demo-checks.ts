/**
 * The end-to-end checks the docker and binary suites share, against the demo app behind a
 * real Traefik: start and wait for Traefik's confirmation, balancing without a cookie, the
 * sticky cookie, WebSockets, and a killed instance leaving Traefik and coming back.
 */
import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import type { StatusReport } from '../../../src/app/status-report.js';
import { cookieFrom } from '../http.js';
import { waitUntil } from '../wait.js';
import { info, wsEcho } from './demo-client.js';
import { pidAlive } from './processes.js';
import { LbDevRun, READY_TIMEOUT_MS } from './run.js';
import { instanceOf, serverFor } from './status.js';
import type { Workspace } from './workspace.js';

export const STICKY_COOKIE = 'lb-dev-server';

type Diagnostic = { diagnostic(message: string): void };

/** Starts `up`, waits for every instance ready and confirmed; reports the time it took. */
export async function startAndWaitReady(
  t: Diagnostic,
  ws: Workspace,
  count: number,
  label: string,
): Promise<{ run: LbDevRun; report: StatusReport; readyMs: number }> {
  const run = LbDevRun.startIn(ws);
  const report = await run.waitAllConfirmed(count);
  const readyMs = Math.round(performance.now() - run.startedAt);
  // Traefik's own view, independently of lb-dev's confirmation.
  const servers = await ws.apiServers();
  assert.equal(servers?.length, count, `expected Traefik's API to list ${count} servers, got ${JSON.stringify(servers)}`);
  const line = `${label}: up -> all ${count} demo instances ready and confirmed in Traefik: ${readyMs} ms (includes tsx start-up of the CLI and of each instance; Traefik: ${report.traefik.description})`;
  t.diagnostic(line);
  console.log(`[e2e] ${line}`);
  return { run, report, readyMs };
}

/** Requests without a cookie reach every instance. */
export async function checkReachesAll(t: Diagnostic, ws: Workspace, names: readonly string[]): Promise<void> {
  const counts: Record<string, number> = {};
  const seen = new Set<string>();
  // Poll with a deadline rather than a fixed count: Traefik's health checks reset on each reload.
  await waitUntil(
    async () => {
      for (let i = 0; i < names.length * 3; i++) {
        const answer = await info(ws);
        assert.equal(answer.status, 200, `expected 200 from the balancer, got ${answer.status} ${answer.text}`);
        const key = answer.instance ?? '?';
        counts[key] = (counts[key] ?? 0) + 1;
        seen.add(key);
      }
      return names.every((n) => seen.has(n));
    },
    { timeoutMs: 20_000, intervalMs: 0, what: () => `answers from all of ${names.join(', ')}; got ${JSON.stringify(counts)}` },
  );
  assert.deepEqual([...seen].sort(), [...names].sort(), `expected answers only from ${names.join(', ')}, got ${JSON.stringify(counts)}`);
  t.diagnostic(`requests without a cookie: ${JSON.stringify(counts)}`);
}

/** The sticky cookie pins a client to one instance (HTTP and WebSocket). Returns the pinned instance and cookie. */
export async function checkSticky(t: Diagnostic, ws: Workspace): Promise<{ instance: string; cookie: string }> {
  const first = await info(ws);
  assert.equal(first.status, 200);
  const cookie = cookieFrom(first.headers, STICKY_COOKIE);
  assert.ok(cookie, `expected a Set-Cookie ${STICKY_COOKIE}, got ${JSON.stringify(first.headers.getSetCookie())}`);
  assert.ok(first.instance);
  const answers: string[] = [];
  for (let i = 0; i < 15; i++) {
    const answer = await info(ws, { cookie });
    assert.equal(answer.status, 200);
    answers.push(answer.instance ?? '?');
  }
  assert.deepEqual(new Set(answers), new Set([first.instance]), `expected every answer with ${cookie} from ${first.instance}, got ${answers.join(',')}`);
  const socket = await wsEcho(ws, '/websocket', 'sticky?', { cookie });
  assert.equal(socket.hello, first.instance, `expected the WebSocket with the cookie on ${first.instance}, got ${socket.hello}`);
  t.diagnostic(`cookie ${cookie.split('=')[0]} pins to ${first.instance}: 15/15 HTTP answers and the WebSocket`);
  return { instance: first.instance, cookie };
}

/** WebSockets on /websocket, /sockjs and a Meteor-style /sockjs/... path connect through Traefik and echo. */
export async function checkWebSockets(t: Diagnostic, ws: Workspace, names: readonly string[]): Promise<void> {
  for (const path of ['/websocket', '/sockjs', '/sockjs/123/abcdefgh/websocket']) {
    const text = `ping ${path} ${Date.now()}`;
    const result = await wsEcho(ws, path, text);
    assert.ok(names.includes(result.hello), `expected {hello: <instance>} from one of ${names.join(', ')} on ${path}, got ${result.hello}`);
    assert.deepEqual(result.echo, { instance: result.hello, echo: text }, `expected the echo from the same instance on ${path}`);
    t.diagnostic(`WebSocket ${path}: hello from ${result.hello}, echo ok`);
  }
}

export interface KillFigures {
  /** From the SIGKILL to Traefik's API no longer listing the instance. */
  goneFromApiMs: number;
  /** From the SIGKILL to the API listing it again after the automatic restart. */
  backInApiMs: number;
}

/**
 * Kills one instance, then checks it leaves Traefik (API and traffic) and comes back after
 * the restart. `how`: SIGKILL to its process group from here, or `lb-dev kill <n>`.
 */
export async function checkKillAndReturn(t: Diagnostic, ws: Workspace, run: LbDevRun, index: number, how: 'sigkill' | 'cli'): Promise<KillFigures> {
  const name = `app-${index}`;
  const before = instanceOf(await run.status(), name);
  assert.equal(before.state, 'ready');
  assert.ok(before.pid, `expected ${name} to have a pid`);
  const oldPid = before.pid;
  assert.ok(before.port, `expected ${name} to have a port`);
  const url = serverFor(await ws.apiServers(), before.port);
  assert.ok(url, `expected Traefik's API to list ${name} (port ${before.port}) before the kill`);

  // A client pinned to the victim, to check it fails over.
  const pinned = await waitUntil(
    async () => {
      const answer = await info(ws);
      return answer.instance === name ? cookieFrom(answer.headers, STICKY_COOKIE) : null;
    },
    { timeoutMs: 15_000, intervalMs: 0, what: `an answer from ${name} to pin a client to it` },
  );

  const outputBefore = run.output().length;
  let killedAt: number;
  if (how === 'sigkill') {
    killedAt = performance.now();
    process.kill(-oldPid, 'SIGKILL'); // its whole process group: what a crash of the dev server looks like
  } else {
    const started = performance.now();
    const result = await ws.cli(['kill', String(index)]);
    assert.equal(result.code, 0, `lb-dev kill ${index}: ${result.stdout}${result.stderr}`);
    // The kill happened somewhere while the CLI ran (tsx start-up is most of it): count from
    // the CLI's start, so the figure is an upper bound.
    killedAt = started;
    t.diagnostic(`lb-dev kill ${index} took ${result.ms} ms (mostly the CLI's own start-up)`);
  }

  // Traefik's API stops listing it.
  let polls = 0;
  await waitUntil(
    async () => {
      polls++;
      const servers = await ws.apiServers();
      return servers !== null && !servers.includes(url);
    },
    { timeoutMs: 15_000, intervalMs: 10, what: `Traefik's API to drop ${url} after the kill` },
  );
  const goneFromApiMs = Math.round(performance.now() - killedAt);
  // lb-dev's own figure: its route write, counted from when it saw the exit.
  const written = [
    ...run
      .output()
      .slice(outputBefore)
      .matchAll(/routes -> \[([^\]]*)\] \((\d+)ms after [^)]* exited\)/g),
  ]
    .filter((m) => !m[1]!.split(', ').includes(name))
    .pop();
  const line =
    `${how === 'sigkill' ? 'SIGKILL' : '`lb-dev kill`'} ${name} -> gone from Traefik's API: ${goneFromApiMs} ms (${polls} polls)` +
    (written ? `; lb-dev wrote the routes ${written[2]} ms after it saw the exit` : '');
  t.diagnostic(line);
  console.log(`[e2e] ${line}`);

  // Traffic stops reaching it: every answer is a 200 from another instance, also for the pinned client.
  const others = new Set<string>();
  for (let i = 0; i < 20; i++) {
    const answer = await info(ws);
    assert.equal(answer.status, 200, `expected 200 after ${name} left, got ${answer.status} ${answer.text}`);
    assert.notEqual(answer.instance, name, `expected no answer from ${name} after it left Traefik`);
    others.add(answer.instance ?? '?');
  }
  const failover = await info(ws, { cookie: pinned });
  assert.equal(failover.status, 200, `expected the client pinned to ${name} to get a 200 elsewhere, got ${failover.status} ${failover.text}`);
  assert.notEqual(failover.instance, name);
  t.diagnostic(`after the kill: 20/20 answers from ${[...others].sort().join(', ')}; the client pinned to ${name} moved to ${failover.instance}`);

  // It comes back: restarted (new pid), ready, listed again, and answering through the balancer.
  const after = await run.waitFor(
    (r) => {
      const i = instanceOf(r, name);
      return i.state === 'ready' && i.inBalancer && i.pid !== null && i.pid !== oldPid && i.restarts >= 1 && i.port !== null ? { ...i, port: i.port } : null;
    },
    `${name} restarted and ready`,
    READY_TIMEOUT_MS,
  );
  await waitUntil(async () => serverFor(await ws.apiServers(), after.port), {
    timeoutMs: 15_000,
    intervalMs: 10,
    what: `Traefik's API to list ${name} (port ${after.port}) again`,
  });
  const backInApiMs = Math.round(performance.now() - killedAt);
  assert.equal(pidAlive(oldPid), false, `expected the killed pid ${oldPid} to be gone`);
  await waitUntil(async () => (await info(ws)).instance === name, {
    timeoutMs: 20_000,
    intervalMs: 0,
    what: `traffic to reach ${name} again after its restart`,
  });
  const back = `${name} back after the restart: listed by Traefik's API ${backInApiMs} ms after the kill (restarts=${after.restarts}, pid ${oldPid} -> ${after.pid}), and answering through the balancer`;
  t.diagnostic(back);
  console.log(`[e2e] ${back}`);
  return { goneFromApiMs, backInApiMs };
}
