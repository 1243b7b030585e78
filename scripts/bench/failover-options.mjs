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
import { readFileSync, statSync, watch, writeFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { cleanUpAll } from './lib/cleanup.mjs';
import { get } from './lib/http-load.mjs';
import { startUp as startLbDev } from './lib/lbdev.mjs';
import { traefikBinary } from './lib/traefik.mjs';
import { sleep, waitFor as waitUntil } from './lib/util.mjs';

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
};
const flag = (name) => process.argv.includes(`--${name}`);
const mode = arg('traefik', 'docker');
const runs = Number(arg('runs', '1'));
const concurrency = Number(arg('concurrency', '8'));
const drain = arg('drain', '500ms');
const scenarios = arg('scenarios', 'kill,rolling,scale').split(',');
const jsonOut = arg('json', null);
const verbose = flag('verbose');
const sticky = flag('sticky');
const slowClients = Number(arg('slow', '0'));
const slowMs = Number(arg('slow-ms', '800'));
const pauseMs = Number(arg('pause', '0'));
const noRetry = flag('no-retry');
const noPassive = flag('no-passive');
const maxFailed = arg('max-failed', null);
const abrupt = flag('abrupt');
const retryInterval = arg('retry-interval', null);
const wsClients = Number(arg('websockets', '0'));
for (const s of scenarios) {
  if (!['kill', 'rolling', 'scale', 'gap', 'error'].includes(s)) throw new Error(`unknown scenario ${s} (expected kill, rolling, scale, gap, error)`);
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

let current = null;

async function waitFor(what, check, timeoutMs = 120_000, everyMs = 20) {
  await waitUntil(what, async () => {
    if (current && current.up.exitCode !== null) throw new Error(`lb-dev up exited (${current.up.exitCode})`);
    return check();
  }, timeoutMs, everyMs).catch((error) => { throw new Error(`${error.message}:\n${current?.output()}`); });
}

/** lb-dev's own log lines written since `from` bytes (logs/lb-dev.log). */
const logSince = (lb, from) => readFileSync(join(lb.logsDir, 'lb-dev.log')).subarray(from).toString('utf8').split('\n'); // from: bytes
const logSize = (lb) => statSync(join(lb.logsDir, 'lb-dev.log')).size;

/** Resolves with the time a connection to `port` is first refused (the process's sockets are closed). */
async function portClosed(port, timeoutMs = 2000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const refused = await new Promise((resolve) => {
      const s = net.connect(port, '127.0.0.1');
      s.once('connect', () => { s.destroy(); resolve(false); });
      s.once('error', () => resolve(true));
    });
    if (refused) return Date.now();
    await sleep(1);
  }
  return null;
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? null : s.length % 2 ? s[(s.length - 1) / 2] : Math.round((s[s.length / 2 - 1] + s[s.length / 2]) / 2);
};
const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor(s.length * p))] : null;
};
const mmm = (xs) => (xs.length ? `${Math.min(...xs)}/${median(xs)}/${Math.max(...xs)}` : 'n/a');
const whyFailed = (res) => (res.status === 0
  ? `${res.code ?? ''} ${res.body}${res.reused ? ' (reused connection)' : ''}`.trim()
  : `${res.status} ${res.body.slice(0, 40).trim()}`);

async function benchOnce(run) {
  current = await startUp();
  const lb = current;
  const url = `http://127.0.0.1:${lb.port}/api/info`;
  const slowUrl = `http://127.0.0.1:${lb.port}/slow?ms=${slowMs}&quiet`;
  const api = `http://127.0.0.1:${lb.apiPort}/api/http/services/lb-dev@file`;
  const loadAgent = new http.Agent({ keepAlive: true, maxSockets: Math.max(3 * concurrency, concurrency + slowClients) });
  const apiAgent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const servers = async () => {
    const res = await get(apiAgent, api);
    return res.status === 200 ? JSON.parse(res.body).loadBalancer.servers.map((s) => s.url) : [];
  };
  const result = { run, mode };
  try {
    await waitFor('all instances ready', async () => (await lb.status()).instances.every((i) => i.state === 'ready'), 120_000, 100);
    result.readyMs = Date.now() - lb.started;
    await waitFor('Traefik to list 3 servers', async () => (await servers()).length === 3);
    result.loadavg = loadavg()[0];
    console.log(`[run ${run}] lb-dev up (${mode}) -> 3 demo instances ready: ${result.readyMs} ms (load average ${result.loadavg.toFixed(1)})`);

    /** Kills one instance's group and times its way out of the balancer (and back). */
    const killOne = async (victim, onPortClosed = async () => {}) => {
      const victimUrl = `http://127.0.0.1:${victim.port}`;
      let renamedAt = null;
      const watcher = watch(lb.dynamicDir, () => { renamedAt ??= Date.now(); });
      const logFrom = logSize(lb);
      const killedAt = Date.now();
      process.kill(-victim.pid, 'SIGKILL'); // the whole group, as `lb-dev kill` does
      const closedAt = await portClosed(victim.port);
      const extra = await onPortClosed();
      await waitFor('Traefik to drop the killed instance', async () => !(await servers()).includes(victimUrl), 10_000, 10);
      const removedMs = Date.now() - killedAt;
      await waitFor('the killed instance to be back', async () => (await servers()).includes(victimUrl), 30_000);
      watcher.close();
      const routeLine = logSince(lb, logFrom).find((t) => /routes -> \[/.test(t));
      return {
        victim: victim.name,
        killedAt,
        portClosedMs: closedAt === null ? null : closedAt - killedAt,
        renamedMs: renamedAt === null ? null : renamedAt - killedAt,
        removedMs,
        backMs: Date.now() - killedAt,
        routeLine: routeLine?.replace(/^.*routes/, 'routes'),
        ...extra,
      };
    };
    const describeKill = (k) => `kill -> port refuses ${k.portClosedMs} ms -> route file renamed ${k.renamedMs} ms`
      + ` -> gone from Traefik's API ${k.removedMs} ms; back in ${k.backMs} ms (${k.routeLine ?? 'no route line'})`;

    /** Steady load while `action` runs; returns counts and every failure with its time. */
    const underLoad = async (action) => {
      let stop = false;
      const sockets = { opened: 0, cut: 0, codes: {}, reopenMs: [] };
      const openSocket = () => new Promise((resolve) => {
        const ws = new WebSocket(`ws://127.0.0.1:${lb.port}/websocket`);
        const startedAt = Date.now();
        ws.on('open', () => { sockets.opened++; resolve(Date.now() - startedAt); });
        ws.on('error', () => undefined);
        ws.on('close', (code) => {
          if (stop) return;
          sockets.cut++;
          sockets.codes[code] = (sockets.codes[code] ?? 0) + 1;
          const cutAt = Date.now();
          setTimeout(() => { void openSocket().then(() => sockets.reopenMs.push(Date.now() - cutAt)); }, 20);
        });
        openSockets.push(ws);
      });
      const openSockets = [];
      await Promise.all(Array.from({ length: wsClients }, openSocket));
      let t0 = Date.now();
      const counts = { sent: 0, failed: 0, byStatus: {}, byInstance: {}, failures: [], moved: 0 };
      const answeredAt = {}; // instance -> times (Date.now()) of its answers
      const latencies = [];
      const loops = Array.from({ length: concurrency + slowClients }, async (_, client) => {
        let cookie = null;
        let pinned = null;
        const slow = client >= concurrency;
        while (!stop) {
          const sentAt = Date.now();
          const res = await get(loadAgent, slow ? slowUrl : url, cookie ? { cookie } : {});
          if (!slow) latencies.push(Date.now() - sentAt);
          if (sticky && res.setCookie) cookie = res.setCookie.map((c) => c.split(';')[0]).join('; ');
          counts.sent++;
          counts.byStatus[res.status] = (counts.byStatus[res.status] ?? 0) + 1;
          if (res.status === 200) {
            try {
              const who = JSON.parse(res.body).instance;
              counts.byInstance[who] = (counts.byInstance[who] ?? 0) + 1;
              (answeredAt[who] ??= []).push(Date.now());
              if (sticky && pinned !== null && pinned !== who) counts.moved++;
              pinned = who;
            } catch { /* not JSON */ }
          }
          if (res.status === 0 || res.status >= 500) {
            counts.failed++;
            counts.failures.push({ client, slow, status: res.status, sentAt: sentAt - t0, at: Date.now() - t0, why: whyFailed(res) });
          }
          if (pauseMs > 0) await sleep(pauseMs);
        }
      });
      await sleep(1000);
      t0 = Date.now();
      const extra = await action(t0);
      extra.actionMs = Date.now() - t0;
      const errorFrom = extra.errorInstance;
      if (extra.killedAt) extra.killAt = extra.killedAt - t0;
      await sleep(1000);
      stop = true;
      await Promise.all(loops);
      for (const ws of openSockets) ws.terminate();
      if (wsClients > 0) counts.websockets = sockets;
      counts.latency = { p50: pct(latencies, 0.5), p99: pct(latencies, 0.99), max: Math.max(...latencies) };
      if (errorFrom) {
        // The longest stretch, from the 500 on, in which that instance answered nobody.
        const from = t0 + extra.errorAt;
        const times = [from, ...(answeredAt[errorFrom] ?? []).filter((t) => t >= from), Date.now()].sort((a, b) => a - b);
        extra.outMs = Math.max(...times.slice(1).map((t, i) => t - times[i]));
      }
      return { ...counts, ...extra };
    };
    const describe = (name, r) => {
      const errors = {};
      for (const f of r.failures) errors[f.why] = (errors[f.why] ?? 0) + 1;
      console.log(`[run ${run}] ${name}: ${r.sent} requests, ${r.failed} failed; statuses ${JSON.stringify(r.byStatus)}`
        + `${r.failed ? ` ${JSON.stringify(errors)}` : ''}; per instance ${JSON.stringify(r.byInstance)}${sticky ? `; sticky clients moved ${r.moved}x` : ''}`
        + `; latency ms p50/p99/max ${r.latency.p50}/${r.latency.p99}/${r.latency.max}; action ${r.actionMs} ms`);
      if (r.websockets) {
        const w = r.websockets;
        console.log(`         WebSockets: ${wsClients} kept open, ${w.cut} cut (close codes ${JSON.stringify(w.codes)}), reopened through the balancer in ${mmm(w.reopenMs)} ms (min/median/max, 20 ms wait included)`);
      }
      if (r.failed) {
        const rel = (ms) => (r.killAt === undefined ? ms : `kill${ms - r.killAt >= 0 ? '+' : ''}${ms - r.killAt}`);
        console.log(`         failures (sent -> failed, ms ${r.killAt === undefined ? 'after the action started' : 'from the kill'}): `
          + r.failures.map((f) => `${rel(f.sentAt)}->${rel(f.at)}${f.slow ? ' (slow)' : ''}`).join(', '));
      }
    };

    for (const scenario of scenarios) {
      if (scenario === 'kill') {
        const kill = await underLoad(async () => killOne((await lb.status()).instances[1]));
        describe(`SIGKILL ${kill.victim} under load (${concurrency} clients)`, kill);
        console.log(`         ${describeKill(kill)}`);
        result.kill = kill;
      } else if (scenario === 'gap') {
        // Each instance in turn, so one run tries three gaps.
        const burst = 3 * concurrency;
        const gaps = [];
        for (let i = 0; i < 3; i++) {
          const victim = (await lb.status()).instances[i];
          // Warm up: keep-alive connections to Traefik ready, so the burst leaves at once; and
          // with --sticky, the cookie that pins a client to the victim: the whole burst then
          // comes from the dead instance's sticky clients (the worst case).
          const warm = await Promise.all(Array.from({ length: burst }, () => get(loadAgent, url)));
          const pinned = warm.find((w) => w.status === 200 && JSON.parse(w.body).instance === victim.name && w.setCookie);
          const headers = sticky && pinned ? { cookie: pinned.setCookie.map((c) => c.split(';')[0]).join('; ') } : {};
          if (sticky && !pinned) throw new Error(`no sticky cookie for ${victim.name} in the warm-up answers`);
          const gap = await killOne(victim, async () => {
            const sentAt = Date.now();
            const answers = await Promise.all(Array.from({ length: burst }, async () => {
              const t = Date.now();
              return { ...(await get(loadAgent, url, headers)), ms: Date.now() - t };
            }));
            const byStatus = {};
            const byInstance = {};
            const errors = {};
            for (const a of answers) {
              byStatus[a.status] = (byStatus[a.status] ?? 0) + 1;
              if (a.status === 200) { const who = JSON.parse(a.body).instance; byInstance[who] = (byInstance[who] ?? 0) + 1; }
              if (a.status === 0 || a.status >= 500) errors[whyFailed(a)] = (errors[whyFailed(a)] ?? 0) + 1;
            }
            const failedAnswers = answers.filter((a) => a.status === 0 || a.status >= 500);
            return {
              burstSentAt: sentAt, sent: burst, failed: failedAnswers.length, byStatus, byInstance, errors,
              maxMs: Math.max(...answers.map((a) => a.ms)), failedMs: failedAnswers.map((a) => a.ms),
            };
          });
          gap.burstSentMs = gap.burstSentAt - gap.killedAt;
          console.log(`[run ${run}] gap: burst of ${gap.sent} requests sent ${gap.burstSentMs} ms after SIGKILL ${gap.victim}, ${gap.failed} failed;`
            + ` statuses ${JSON.stringify(gap.byStatus)}${gap.failed ? ` ${JSON.stringify(gap.errors)} after ${gap.failedMs.join(', ')} ms` : ''}; per instance ${JSON.stringify(gap.byInstance)}; slowest ${gap.maxMs} ms`);
          console.log(`         ${describeKill(gap)}`);
          gaps.push(gap);
        }
        const sum = (key) => gaps.reduce((a, g) => a + g[key], 0);
        result.gap = {
          sent: sum('sent'), failed: sum('failed'), kills: gaps.length,
          portClosedMs: median(gaps.map((g) => g.portClosedMs)), renamedMs: median(gaps.map((g) => g.renamedMs)),
          removedMs: median(gaps.map((g) => g.removedMs)), bursts: gaps,
        };
      } else if (scenario === 'error') {
        const error = await underLoad(async (t0) => {
          const res = await get(loadAgent, `http://127.0.0.1:${lb.port}/status/500`);
          const at = Date.now();
          await sleep(2500); // longer than the active health check interval (1 s)
          return { errorStatus: res.status, errorInstance: res.status === 500 ? JSON.parse(res.body).instance : null, errorAt: at - t0 };
        });
        describe(`one GET /status/500 (answered ${error.errorStatus} by ${error.errorInstance})`, error);
        console.log(`         ${error.errorInstance} answered nobody for ${error.outMs} ms after its 500${sticky ? `; sticky clients moved ${error.moved}x` : ''}`);
        result.error = error;
      } else if (scenario === 'rolling') {
        const rolling = await underLoad(async () => { await lb.cli('restart', '--all', '--rolling', '--drain', drain); return {}; });
        describe(`restart --all --rolling --drain ${drain} under load`, rolling);
        result.rolling = rolling;
        await waitFor('3 servers again', async () => (await servers()).length === 3, 30_000);
      } else if (scenario === 'scale') {
        const scale = await underLoad(async () => { await lb.cli('scale', '2'); return {}; });
        describe('scale 3 -> 2 under load', scale);
        result.scale = scale;
      }
    }
  } finally {
    loadAgent.destroy();
    apiAgent.destroy();
    if (verbose || process.env.BENCH_SHOW_LOG) console.log(lb.output());
    await lb.stop();
    current = null;
  }
  return result;
}

const results = [];
try {
  for (let run = 1; run <= runs; run++) {
    for (let attempt = 1; ; attempt++) {
      try {
        results.push(await benchOnce(run));
        break;
      } catch (error) {
        // A port found free and then taken by another process before Traefik bound it: start again.
        if (attempt >= 3 || !/address already in use|PORT_IN_USE/.test(String(error?.message))) throw error;
        console.log(`[run ${run}] a port was taken while starting (${attempt}/3); starting again`);
      }
    }
  }
} finally {
  await cleanUpAll();
}

if (runs > 1) {
  const setup = `${concurrency} clients${slowClients ? ` + ${slowClients} on /slow?ms=${slowMs}` : ''}${pauseMs ? `, ${pauseMs} ms pause` : ''}`
    + `${sticky ? ', sticky' : ''}${noRetry ? ', retry off' : ''}${noPassive ? ', passive health check off' : ''}`
    + `${maxFailed !== null ? `, maxFailedAttempts ${maxFailed}` : ''}${retryInterval !== null ? `, retry interval ${retryInterval} ms` : ''}${abrupt ? ', abrupt app' : ''}`;
  console.log(`\n== ${runs} runs, traefik ${mode}, ${setup} (min/median/max) ==`);
  for (const name of scenarios) {
    const rs = results.map((r) => r[name]).filter(Boolean);
    const failed = rs.map((r) => r.failed);
    console.log(`${name}: requests ${mmm(rs.map((r) => r.sent))}; failed ${mmm(failed)} (total ${failed.reduce((a, b) => a + b, 0)} of ${rs.reduce((a, r) => a + r.sent, 0)}; runs with 0 failed: ${failed.filter((f) => f === 0).length}/${rs.length})`);
    if (name === 'kill' || name === 'gap') {
      const ms = (key) => mmm(rs.map((r) => r[key]).filter((x) => x !== null && x !== undefined));
      console.log(`${name}: kill -> port refuses ${ms('portClosedMs')} ms; -> route file renamed ${ms('renamedMs')} ms; -> gone from Traefik's API ${ms('removedMs')} ms`);
    }
  }
}
if (jsonOut) writeFileSync(jsonOut, JSON.stringify(results, null, 2));
