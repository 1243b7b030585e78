/**
 * First end-to-end proof: a real Traefik v3.6 container, driven through dockerode, picks up
 * lb-dev's rendered dynamic config from a bind-mounted directory, balances across the listed
 * servers, and after an atomic rename sends ALL traffic to the remaining server within 1 s.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import type { BalancerConfig } from '../../src/core/config/types.js';
import { dynamicConfigText, renderDynamicConfig, serverUrl, type RouteServer } from '../../src/core/traefik/dynamic-config.js';
import { e2eGate } from '../helpers/e2e-gate.js';
import { cookieFrom, getText, startNamedServer, tally, type NamedServer } from '../helpers/http.js';
import { startTraefikBed, type TraefikBed } from '../helpers/traefik-bed.js';
import { waitUntil } from '../helpers/wait.js';

const gate = await e2eGate();

const TEST_NAME = 'traefik-bed';
const SERVICE = 'lb-dev';
const CONFIRM_TIMEOUT_MS = 10_000;
const SWITCH_BUDGET_MS = 1000;
/** Consecutive answers from the one remaining server that count as "all traffic goes there". */
const STREAK = 40;

// Every feature the renderer has, so the test also proves Traefik v3.6 accepts all of it.
const balancer: BalancerConfig = {
  host: '127.0.0.1',
  port: 0,
  stickyCookie: 'lb_dev_sticky',
  websocketPaths: ['/websocket', '/sockjs'],
  healthCheck: { path: '/', intervalMs: 1000, timeoutMs: 500 },
  passiveHealthCheck: { failureWindowMs: 10_000, maxFailedAttempts: 3 },
  retry: { attempts: 2, initialIntervalMs: 50 },
};

function routesYaml(servers: readonly NamedServer[]): string {
  const route: RouteServer[] = servers.map((s) => ({ name: s.name, port: s.port }));
  return dynamicConfigText(renderDynamicConfig(route, { serviceName: SERVICE, entryPoint: 'web', backendHost: '127.0.0.1', balancer }));
}

function urlsOf(servers: readonly NamedServer[]): string[] {
  return servers.map((s) => serverUrl('127.0.0.1', s.port));
}

describe('Traefik bed: file provider + atomic rename + API confirm', { skip: gate.skip || false }, () => {
  let bed: TraefikBed | undefined;
  let alpha: NamedServer | undefined;
  let beta: NamedServer | undefined;

  const must = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`${what} did not start (see before())`);
    return value;
  };

  before(async () => {
    alpha = await startNamedServer('alpha');
    beta = await startNamedServer('beta');
    // Start the way lb-dev does: Traefik's first load already has the service, with no server ready.
    bed = await startTraefikBed({ testName: TEST_NAME, throttleMs: 50, initialDynamicYaml: routesYaml([]) });
  });

  after(async () => {
    await bed?.stop();
    await alpha?.close();
    await beta?.close();
  });

  it('with no ready server the service exists, is empty, and the balancer answers 503', async () => {
    const b = must(bed, 'Traefik');
    const seen = await b.api.waitForServers(SERVICE, [], CONFIRM_TIMEOUT_MS);
    assert.ok(seen.ok, `expected service ${SERVICE} with no servers, saw ${JSON.stringify(seen.lastSeen)}`);
    // The service must be known (not 404) for the routers to be enabled.
    const view = await waitUntil(() => b.api.service(SERVICE), {
      timeoutMs: CONFIRM_TIMEOUT_MS,
      intervalMs: 25,
      what: () => `Traefik to know ${SERVICE}@file; log:\n${b.logLines.join('\n')}`,
    });
    assert.ok(view, `expected Traefik to know ${SERVICE}@file; log:\n${b.logLines.join('\n')}`);
    assert.deepEqual(view.servers, []);
    const res = await getText(`${b.webUrl}/`);
    assert.equal(res.status, 503, `expected 503 with no server, got ${res.status} ${res.text}`);
  });

  it('routes requests to both servers once the config lists both', async (t) => {
    const b = must(bed, 'Traefik');
    const both = [must(alpha, 'alpha'), must(beta, 'beta')];
    const written = await b.writer.write(routesYaml(both));
    assert.equal(written.changed, true);
    const seen = await b.api.waitForServers(SERVICE, urlsOf(both), CONFIRM_TIMEOUT_MS);
    assert.ok(seen.ok, `expected ${urlsOf(both).join(', ')}, Traefik shows ${JSON.stringify(seen.lastSeen)}; log:\n${b.logLines.join('\n')}`);
    t.diagnostic(`API showed both servers ${seen.elapsedMs} ms after the write`);

    const view = await b.api.service(SERVICE);
    assert.equal(view?.status, 'enabled', `expected the service enabled, got ${JSON.stringify(view)}`);
    assert.deepEqual(view?.error, []);
    await assertRoutersEnabled(b.apiUrl);

    const answers: string[] = [];
    for (let i = 0; i < 20; i++) answers.push((await getText(`${b.webUrl}/`)).text);
    const counts = tally(answers);
    t.diagnostic(`20 requests without a cookie: ${JSON.stringify(counts)}`);
    assert.deepEqual(Object.keys(counts).sort(), ['alpha', 'beta'], `expected both servers to answer, got ${JSON.stringify(counts)}`);

    const ws = await getText(`${b.webUrl}/sockjs/info`);
    assert.ok(['alpha', 'beta'].includes(ws.text), `expected the websocket router to reach a server, got ${ws.status} ${ws.text}`);
  });

  it('keeps a client with the sticky cookie on one server', async () => {
    const b = must(bed, 'Traefik');
    const first = await getText(`${b.webUrl}/`);
    const cookie = cookieFrom(first.headers, balancer.stickyCookie!);
    assert.ok(cookie, `expected a Set-Cookie ${balancer.stickyCookie}, got ${JSON.stringify(first.headers.getSetCookie())}`);
    const answers: string[] = [];
    for (let i = 0; i < 10; i++) answers.push((await getText(`${b.webUrl}/`, { headers: { cookie } })).text);
    assert.deepEqual(new Set(answers), new Set([first.text]), `expected every answer from ${first.text}, got ${answers.join(',')}`);
  });

  it(`after an atomic rewrite to one server, ALL traffic goes there within ${SWITCH_BUDGET_MS} ms`, async (t) => {
    const b = must(bed, 'Traefik');
    const keep = must(alpha, 'alpha');
    const drop = must(beta, 'beta');

    const startedAt = performance.now(); // before the write: the figure includes temp file + fsync + rename
    await b.writer.write(routesYaml([keep]));
    const renamedAt = performance.now();
    const confirm = b.api.waitForServers(SERVICE, urlsOf([keep]), CONFIRM_TIMEOUT_MS);

    // Keep sending until the API shows one server and STREAK answers in a row came from it.
    const sentAt: number[] = [];
    const answers: string[] = [];
    let confirmed = false;
    void confirm.then((r) => (confirmed = r.ok));
    let streakStart = -1;
    while (performance.now() - startedAt < CONFIRM_TIMEOUT_MS) {
      sentAt.push(performance.now() - startedAt);
      const { text } = await getText(`${b.webUrl}/`);
      answers.push(text);
      if (text === keep.name) {
        if (streakStart < 0) streakStart = answers.length - 1;
      } else {
        streakStart = -1;
      }
      if (confirmed && streakStart >= 0 && answers.length - streakStart >= STREAK) break;
    }
    const confirmResult = await confirm;
    const dropHitsAtEnd = drop.hits();

    assert.ok(confirmResult.ok, `expected the API to show only ${keep.url}, it shows ${JSON.stringify(confirmResult.lastSeen)}`);
    assert.ok(
      streakStart >= 0 && answers.length - streakStart >= STREAK,
      `expected ${STREAK} answers in a row from ${keep.name}, got ${answers.slice(-STREAK).join(',')}`,
    );
    const switchMs = Math.round(sentAt[streakStart]!);
    const lastDrop = answers.lastIndexOf(drop.name);
    const figures = {
      renameMs: Math.round(renamedAt - startedAt),
      apiConfirmedMs: Math.round(renamedAt - startedAt) + confirmResult.elapsedMs,
      allTrafficToOneServerMs: switchMs,
      lastAnswerFromRemovedServerMs: lastDrop >= 0 ? Math.round(sentAt[lastDrop]!) : null,
      requestsSent: answers.length,
    };
    const line = `rename -> all traffic on ${keep.name}: ${switchMs} ms (API confirmed after ${figures.apiConfirmedMs} ms; write+rename took ${figures.renameMs} ms; ${answers.length} requests)`;
    t.diagnostic(line);
    console.log(`[traefik-bed] ${line} ${JSON.stringify(figures)}`);
    assert.ok(switchMs <= SWITCH_BUDGET_MS, `expected all traffic on ${keep.name} within ${SWITCH_BUDGET_MS} ms of the rename, took ${switchMs} ms`);

    // And it stays there: the removed server (still running) gets nothing more.
    for (let i = 0; i < 10; i++) assert.equal((await getText(`${b.webUrl}/`)).text, keep.name);
    assert.equal(drop.hits(), dropHitsAtEnd, 'expected no request to reach the removed server after the switch');

    const view = await b.api.service(SERVICE);
    assert.deepEqual(view?.servers, urlsOf([keep]));
  });

  it('Traefik logged no configuration error', () => {
    const b = must(bed, 'Traefik');
    const errors = b.logLines.filter((l) => /\bERR\b|level=error|watcher callback/i.test(l));
    assert.deepEqual(errors, [], `expected no error in Traefik's log, got:\n${errors.join('\n')}`);
  });
});

async function assertRoutersEnabled(apiUrl: string): Promise<void> {
  for (const router of [SERVICE, `${SERVICE}-websocket`]) {
    const res = await fetch(`${apiUrl}/api/http/routers/${router}@file`, { signal: AbortSignal.timeout(2000) });
    const body = (await res.json()) as { status?: string; error?: string[]; middlewares?: string[] };
    assert.equal(res.status, 200, `expected router ${router}@file, got ${res.status}`);
    assert.equal(body.status, 'enabled', `expected router ${router} enabled, got ${JSON.stringify(body)}`);
    assert.deepEqual(body.middlewares, [`${SERVICE}-retry@file`]);
  }
}
