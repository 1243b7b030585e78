// Steady client load on the balancer while an action runs (failover-options.mjs): keep-alive
// clients on GET /api/info (and optionally slow requests and open WebSockets), 1 s before and
// 1 s after the action; every failure kept with when it was sent and when it came back.
import WebSocket from 'ws';
import { get } from '../lib/http-load.mjs';
import { sleep } from '../lib/util.mjs';

export const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? null : s.length % 2 ? s[(s.length - 1) / 2] : Math.round((s[s.length / 2 - 1] + s[s.length / 2]) / 2);
};
const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor(s.length * p))] : null;
};
/** min/median/max, or n/a. */
export const mmm = (xs) => (xs.length ? `${Math.min(...xs)}/${median(xs)}/${Math.max(...xs)}` : 'n/a');
export const whyFailed = (res) =>
  res.status === 0 ? `${res.code ?? ''} ${res.body}${res.reused ? ' (reused connection)' : ''}`.trim() : `${res.status} ${res.body.slice(0, 40).trim()}`;

/** WebSockets kept open through the balancer, each reopened 20 ms after it is cut; counted. */
async function openWebSockets(port, count, stopped) {
  const sockets = { opened: 0, cut: 0, codes: {}, reopenMs: [] };
  const open = [];
  const openSocket = () =>
    new Promise((resolve) => {
      const ws = new WebSocket(`ws://127.0.0.1:${port}/websocket`);
      const startedAt = Date.now();
      ws.on('open', () => {
        sockets.opened++;
        resolve(Date.now() - startedAt);
      });
      ws.on('error', () => undefined);
      ws.on('close', (code) => {
        if (stopped()) return;
        sockets.cut++;
        sockets.codes[code] = (sockets.codes[code] ?? 0) + 1;
        const cutAt = Date.now();
        setTimeout(() => {
          void openSocket().then(() => sockets.reopenMs.push(Date.now() - cutAt));
        }, 20);
      });
      open.push(ws);
    });
  await Promise.all(Array.from({ length: count }, openSocket));
  return {
    sockets,
    close: () => {
      for (const ws of open) ws.terminate();
    },
  };
}

/**
 * Runs `action(t0)` under load and returns the counts, every failure with its time, and what
 * the action returned. `ctx`: { lb, agent, url, slowUrl, opts } (opts: the command line's).
 */
export async function underLoad(ctx, action) {
  const { agent, url, slowUrl, opts } = ctx;
  let stop = false;
  const websockets = await openWebSockets(ctx.lb.port, opts.wsClients, () => stop);
  let t0 = Date.now();
  const counts = { sent: 0, failed: 0, byStatus: {}, byInstance: {}, failures: [], moved: 0 };
  const answeredAt = {}; // instance -> times (Date.now()) of its answers
  const latencies = [];
  const loops = Array.from({ length: opts.concurrency + opts.slowClients }, async (_, client) => {
    let cookie = null;
    let pinned = null;
    const slow = client >= opts.concurrency;
    while (!stop) {
      const sentAt = Date.now();
      const res = await get(agent, slow ? slowUrl : url, cookie ? { cookie } : {});
      if (!slow) latencies.push(Date.now() - sentAt);
      if (opts.sticky && res.setCookie) cookie = res.setCookie.map((c) => c.split(';')[0]).join('; ');
      counts.sent++;
      counts.byStatus[res.status] = (counts.byStatus[res.status] ?? 0) + 1;
      if (res.status === 200) {
        try {
          const who = JSON.parse(res.body).instance;
          counts.byInstance[who] = (counts.byInstance[who] ?? 0) + 1;
          answeredAt[who] ??= [];
          answeredAt[who].push(Date.now());
          if (opts.sticky && pinned !== null && pinned !== who) counts.moved++;
          pinned = who;
        } catch {
          /* not JSON */
        }
      }
      if (res.status === 0 || res.status >= 500) {
        counts.failed++;
        counts.failures.push({ client, slow, status: res.status, sentAt: sentAt - t0, at: Date.now() - t0, why: whyFailed(res) });
      }
      if (opts.pauseMs > 0) await sleep(opts.pauseMs);
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
  websockets.close();
  if (opts.wsClients > 0) counts.websockets = websockets.sockets;
  counts.latency = { p50: pct(latencies, 0.5), p99: pct(latencies, 0.99), max: Math.max(...latencies) };
  if (errorFrom) {
    // The longest stretch, from the 500 on, in which that instance answered nobody.
    const from = t0 + extra.errorAt;
    const times = [from, ...(answeredAt[errorFrom] ?? []).filter((t) => t >= from), Date.now()].sort((a, b) => a - b);
    extra.outMs = Math.max(...times.slice(1).map((t, i) => t - times[i]));
  }
  return { ...counts, ...extra };
}

/** One line (and the failures' timing) for a result of underLoad. */
export function describeLoad(run, name, r, opts) {
  const errors = {};
  for (const f of r.failures) errors[f.why] = (errors[f.why] ?? 0) + 1;
  console.log(
    `[run ${run}] ${name}: ${r.sent} requests, ${r.failed} failed; statuses ${JSON.stringify(r.byStatus)}` +
      `${r.failed ? ` ${JSON.stringify(errors)}` : ''}; per instance ${JSON.stringify(r.byInstance)}${opts.sticky ? `; sticky clients moved ${r.moved}x` : ''}` +
      `; latency ms p50/p99/max ${r.latency.p50}/${r.latency.p99}/${r.latency.max}; action ${r.actionMs} ms`,
  );
  if (r.websockets) {
    const w = r.websockets;
    console.log(
      `         WebSockets: ${opts.wsClients} kept open, ${w.cut} cut (close codes ${JSON.stringify(w.codes)}), reopened through the balancer in ${mmm(w.reopenMs)} ms (min/median/max, 20 ms wait included)`,
    );
  }
  if (r.failed) {
    const rel = (ms) => (r.killAt === undefined ? ms : `kill${ms - r.killAt >= 0 ? '+' : ''}${ms - r.killAt}`);
    console.log(
      `         failures (sent -> failed, ms ${r.killAt === undefined ? 'after the action started' : 'from the kill'}): ` +
        r.failures.map((f) => `${rel(f.sentAt)}->${rel(f.at)}${f.slow ? ' (slow)' : ''}`).join(', '),
    );
  }
}
