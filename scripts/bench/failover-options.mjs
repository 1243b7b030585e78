#!/usr/bin/env node
// Failover, explored option by option: what a crash, a rolling restart and a scale-down cost
// clients under each balancer setting (the figures of docs/failover.md). `npm run bench` runs the
// side-by-side comparison; this script is for trying settings, and shares its helpers (lib/).
//
//   node scripts/bench/failover-options.mjs [--traefik docker|binary] [--runs 1] [--concurrency 8]
//        [--scenarios kill,rolling,scale,gap,error] [--drain 500ms] [--sticky] [--slow N]
//        [--slow-ms 800] [--pause 0] [--websockets N] [--no-retry] [--no-passive]
//        [--max-failed N] [--retry-interval MS] [--abrupt] [--json out.json] [--verbose]
//
// Each run starts `lb-dev up` (3 demo instances, free ports, a temp state dir) and puts steady
// load on the balancer: 127.0.0.1 only, `concurrency` keep-alive clients on GET /api/info, 5 s
// per-request timeout. The load runs 1 s before, during and 1 s after each scenario:
//   kill     SIGKILL one instance's process group (directly, so the kill instant is exact);
//            wait until Traefik's API no longer lists it, then until it is back;
//   rolling  `lb-dev restart --all --rolling --drain <drain>`;
//   scale    `lb-dev scale 2` (put it last: it leaves 2 instances);
//   gap      no load; SIGKILL one instance, wait until its port refuses connections, then at
//            once send a burst of 3 x concurrency requests: they reach Traefik while its routes
//            still list the dead server (lb-dev's removal lands ~10-40 ms later), so this shows
//            what retry + passive health check do for requests that arrive in that gap; with
//            --sticky every request of the burst carries the victim's sticky cookie. Each run
//            does this for each of the 3 instances.
//   error    one GET /status/500 through the balancer: how long Traefik's passive health check
//            keeps the instance that answered it out (its largest gap between answers), and
//            with --sticky how many clients that moves for good.
// Load options: --sticky: each client keeps the sticky cookie like a browser; --slow N: N more
// clients loop on GET /slow?ms=<slow-ms> (requests that outlive the drain); --pause MS: each
// client waits that long between requests; --websockets N: N WebSockets kept open on
// /websocket through the balancer (each reopened 20 ms after it closes), counted when cut.
// Config options: --no-retry / --no-passive write `retry: false` / `passiveHealthCheck: false`,
// --max-failed N sets passiveHealthCheck.maxFailedAttempts, --retry-interval MS sets
// retry.initialInterval, --abrupt makes the demo app exit at once on SIGTERM
// (DEMO_STOP_GRACE=0), like a dev server that does not shut down gracefully.
//
// Control commands run as child processes WITHOUT blocking this event loop: an execFileSync
// here stalls the load clients, whose 5 s timers then fire as false "timeout" errors (what the
// first version of this script reported as 8 status-0 failures during the rolling restart).
// For each scenario it prints requests, failed responses (status >= 500, or status 0 = a
// client-side error, with its code and message), when each failure was sent and came back
// (relative to the kill, or to the start of the action), and for a kill: kill -> the victim's
// port refuses connections (the kernel has closed its sockets) -> lb-dev renames the route file
// (fs.watch on Traefik's dynamic dir) -> Traefik's API no longer lists it (polled every 10 ms).
// Traefik v3.6 creates the retry middleware without listeners, so neither
// traefik_service_retries_total nor the access log's RetryAttempts ever counts a retry; the
// `gap` scenario is how to see retries work. Results: docs/failover.md.
// With --runs N it ends with min/median/max over the runs; --json writes every figure.
// Needs a built dist/ (npx tsc -p tsconfig.build.json) and, for docker, the traefik:v3.6 image.
// The scenarios: failover-options/scenarios.mjs; the load they run under: failover-options/load.mjs.
import { writeFileSync } from 'node:fs';
import http from 'node:http';
import { loadavg } from 'node:os';
import { cleanUpAll } from './lib/cleanup.mjs';
import { get } from './lib/http-load.mjs';
import { startUp as startLbDev } from './lib/lbdev.mjs';
import { traefikBinary } from './lib/traefik.mjs';
import { fatal, retryIfPortTaken, waitFor as waitUntil } from './lib/util.mjs';
import { mmm } from './failover-options/load.mjs';
import { SCENARIOS } from './failover-options/scenarios.mjs';

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
};
const flag = (name) => process.argv.includes(`--${name}`);
const mode = arg('traefik', 'docker');
const runs = Number(arg('runs', '1'));
const scenarios = arg('scenarios', 'kill,rolling,scale').split(',');
const jsonOut = arg('json', null);
const verbose = flag('verbose');
const noRetry = flag('no-retry');
const noPassive = flag('no-passive');
const maxFailed = arg('max-failed', null);
const abrupt = flag('abrupt');
const retryInterval = arg('retry-interval', null);
/** What the load and the scenarios read. */
const opts = {
  concurrency: Number(arg('concurrency', '8')),
  slowClients: Number(arg('slow', '0')),
  slowMs: Number(arg('slow-ms', '800')),
  pauseMs: Number(arg('pause', '0')),
  wsClients: Number(arg('websockets', '0')),
  sticky: flag('sticky'),
  drain: arg('drain', '500ms'),
};
for (const s of scenarios) {
  if (!SCENARIOS[s]) throw new Error(`unknown scenario ${s} (expected ${Object.keys(SCENARIOS).join(', ')})`);
}

const traefik = mode === 'binary' ? { mode, binary: traefikBinary() } : { mode };

/** One `lb-dev up` with 3 demo instances and the balancer options given on the command line. */
async function startUp() {
  const balancer = {};
  if (noRetry) balancer.retry = false;
  else if (retryInterval !== null) balancer.retry = { initialInterval: `${Number(retryInterval)}ms` };
  if (noPassive) balancer.passiveHealthCheck = false;
  else if (maxFailed !== null) balancer.passiveHealthCheck = { maxFailedAttempts: Number(maxFailed) };
  const lb = await startLbDev({
    config: {
      balancer,
      instances: 3,
      ...(abrupt ? { env: { DEMO_STOP_GRACE: '0' } } : {}),
      readiness: { http: { path: '/api/info', interval: '200ms' } },
    },
    traefik,
    label: 'lb-dev up (failover options)',
  });
  return { ...lb, started: lb.startedAt, status: async () => JSON.parse(await lb.cli('status', '--json')) };
}

/** Waits for `check`, failing at once (with up's output) if `up` exits meanwhile. */
const waitWhileUp =
  (lb) =>
  async (what, check, timeoutMs = 120_000, everyMs = 20) => {
    await waitUntil(
      what,
      async () => {
        if (lb.up.exitCode !== null) throw fatal(`lb-dev up exited (${lb.up.exitCode})`);
        return check();
      },
      timeoutMs,
      everyMs,
    ).catch((error) => {
      throw new Error(`${error.message}:\n${lb.output()}`);
    });
  };

async function benchOnce(run) {
  const lb = await startUp();
  const api = `http://127.0.0.1:${lb.apiPort}/api/http/services/lb-dev@file`;
  const agent = new http.Agent({ keepAlive: true, maxSockets: Math.max(3 * opts.concurrency, opts.concurrency + opts.slowClients) });
  const apiAgent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const ctx = {
    run,
    lb,
    opts,
    agent,
    url: `http://127.0.0.1:${lb.port}/api/info`,
    slowUrl: `http://127.0.0.1:${lb.port}/slow?ms=${opts.slowMs}&quiet`,
    servers: async () => {
      const res = await get(apiAgent, api);
      return res.status === 200 ? JSON.parse(res.body).loadBalancer.servers.map((s) => s.url) : [];
    },
    waitFor: waitWhileUp(lb),
  };
  const result = { run, mode };
  try {
    await ctx.waitFor('all instances ready', async () => (await lb.status()).instances.every((i) => i.state === 'ready'), 120_000, 100);
    result.readyMs = Date.now() - lb.started;
    await ctx.waitFor('Traefik to list 3 servers', async () => (await ctx.servers()).length === 3);
    result.loadavg = loadavg()[0];
    console.log(`[run ${run}] lb-dev up (${mode}) -> 3 demo instances ready: ${result.readyMs} ms (load average ${result.loadavg.toFixed(1)})`);
    for (const scenario of scenarios) result[scenario] = await SCENARIOS[scenario](ctx);
  } finally {
    agent.destroy();
    apiAgent.destroy();
    if (verbose || process.env.BENCH_SHOW_LOG) console.log(lb.output());
    await lb.stop();
  }
  return result;
}

const results = [];
try {
  for (let run = 1; run <= runs; run++) results.push(await retryIfPortTaken(`[run ${run}]`, () => benchOnce(run)));
} finally {
  await cleanUpAll();
}

if (runs > 1) {
  const setup =
    `${opts.concurrency} clients${opts.slowClients ? ` + ${opts.slowClients} on /slow?ms=${opts.slowMs}` : ''}${opts.pauseMs ? `, ${opts.pauseMs} ms pause` : ''}` +
    `${opts.sticky ? ', sticky' : ''}${noRetry ? ', retry off' : ''}${noPassive ? ', passive health check off' : ''}` +
    `${maxFailed !== null ? `, maxFailedAttempts ${maxFailed}` : ''}${retryInterval !== null ? `, retry interval ${retryInterval} ms` : ''}${abrupt ? ', abrupt app' : ''}`;
  console.log(`\n== ${runs} runs, traefik ${mode}, ${setup} (min/median/max) ==`);
  for (const name of scenarios) {
    const rs = results.map((r) => r[name]).filter(Boolean);
    const failed = rs.map((r) => r.failed);
    console.log(
      `${name}: requests ${mmm(rs.map((r) => r.sent))}; failed ${mmm(failed)} (total ${failed.reduce((a, b) => a + b, 0)} of ${rs.reduce((a, r) => a + r.sent, 0)}; runs with 0 failed: ${failed.filter((f) => f === 0).length}/${rs.length})`,
    );
    if (name === 'kill' || name === 'gap') {
      const ms = (key) => mmm(rs.map((r) => r[key]).filter((x) => x !== null && x !== undefined));
      console.log(
        `${name}: kill -> port refuses ${ms('portClosedMs')} ms; -> route file renamed ${ms('renamedMs')} ms; -> gone from Traefik's API ${ms('removedMs')} ms`,
      );
    }
  }
}
if (jsonOut) writeFileSync(jsonOut, JSON.stringify(results, null, 2));
