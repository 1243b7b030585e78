// The scenarios of failover-options.mjs, each run against one `lb-dev up` (ctx: { run, lb, opts,
// agent, url, servers, waitFor }): kill, gap, error, rolling, scale. Each returns its figures
// and prints them.
import { readFileSync, statSync, watch } from 'node:fs';
import net from 'node:net';
import { join } from 'node:path';
import { get } from '../lib/http-load.mjs';
import { sleep } from '../lib/util.mjs';
import { describeLoad, median, underLoad, whyFailed } from './load.mjs';

/** lb-dev's own log lines written since `from` bytes (logs/lb-dev.log). */
const logSince = (lb, from) => readFileSync(join(lb.logsDir, 'lb-dev.log')).subarray(from).toString('utf8').split('\n');
const logSize = (lb) => statSync(join(lb.logsDir, 'lb-dev.log')).size;

/** Resolves with the time a connection to `port` is first refused (the process's sockets are closed). */
async function portClosed(port, timeoutMs = 2000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const refused = await new Promise((resolve) => {
      const s = net.connect(port, '127.0.0.1');
      s.once('connect', () => {
        s.destroy();
        resolve(false);
      });
      s.once('error', () => resolve(true));
    });
    if (refused) return Date.now();
    await sleep(1);
  }
  return null;
}

/** Kills one instance's group and times its way out of the balancer (and back). */
async function killOne(ctx, victim, onPortClosed = async () => {}) {
  const { lb, servers, waitFor } = ctx;
  const victimUrl = `http://127.0.0.1:${victim.port}`;
  let renamedAt = null;
  const watcher = watch(lb.dynamicDir, () => {
    renamedAt ??= Date.now();
  });
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
}

const describeKill = (k) =>
  `kill -> port refuses ${k.portClosedMs} ms -> route file renamed ${k.renamedMs} ms` +
  ` -> gone from Traefik's API ${k.removedMs} ms; back in ${k.backMs} ms (${k.routeLine ?? 'no route line'})`;

async function kill(ctx) {
  const result = await underLoad(ctx, async () => killOne(ctx, (await ctx.lb.status()).instances[1]));
  describeLoad(ctx.run, `SIGKILL ${result.victim} under load (${ctx.opts.concurrency} clients)`, result, ctx.opts);
  console.log(`         ${describeKill(result)}`);
  return result;
}

/** A burst of requests right after the kill, before lb-dev's removal lands; each instance in turn. */
async function gap(ctx) {
  const { run, lb, opts, agent, url } = ctx;
  const burst = 3 * opts.concurrency;
  const gaps = [];
  for (let i = 0; i < 3; i++) {
    const victim = (await lb.status()).instances[i];
    // Warm up: keep-alive connections to Traefik ready, so the burst leaves at once; and
    // with --sticky, the cookie that pins a client to the victim: the whole burst then
    // comes from the dead instance's sticky clients (the worst case).
    const warm = await Promise.all(Array.from({ length: burst }, () => get(agent, url)));
    const pinned = warm.find((w) => w.status === 200 && JSON.parse(w.body).instance === victim.name && w.setCookie);
    const headers = opts.sticky && pinned ? { cookie: pinned.setCookie.map((c) => c.split(';')[0]).join('; ') } : {};
    if (opts.sticky && !pinned) throw new Error(`no sticky cookie for ${victim.name} in the warm-up answers`);
    const result = await killOne(ctx, victim, async () => {
      const sentAt = Date.now();
      const answers = await Promise.all(
        Array.from({ length: burst }, async () => {
          const t = Date.now();
          return { ...(await get(agent, url, headers)), ms: Date.now() - t };
        }),
      );
      const byStatus = {};
      const byInstance = {};
      const errors = {};
      for (const a of answers) {
        byStatus[a.status] = (byStatus[a.status] ?? 0) + 1;
        if (a.status === 200) {
          const who = JSON.parse(a.body).instance;
          byInstance[who] = (byInstance[who] ?? 0) + 1;
        }
        if (a.status === 0 || a.status >= 500) errors[whyFailed(a)] = (errors[whyFailed(a)] ?? 0) + 1;
      }
      const failedAnswers = answers.filter((a) => a.status === 0 || a.status >= 500);
      return {
        burstSentAt: sentAt,
        sent: burst,
        failed: failedAnswers.length,
        byStatus,
        byInstance,
        errors,
        maxMs: Math.max(...answers.map((a) => a.ms)),
        failedMs: failedAnswers.map((a) => a.ms),
      };
    });
    result.burstSentMs = result.burstSentAt - result.killedAt;
    console.log(
      `[run ${run}] gap: burst of ${result.sent} requests sent ${result.burstSentMs} ms after SIGKILL ${result.victim}, ${result.failed} failed;` +
        ` statuses ${JSON.stringify(result.byStatus)}${result.failed ? ` ${JSON.stringify(result.errors)} after ${result.failedMs.join(', ')} ms` : ''}; per instance ${JSON.stringify(result.byInstance)}; slowest ${result.maxMs} ms`,
    );
    console.log(`         ${describeKill(result)}`);
    gaps.push(result);
  }
  const sum = (key) => gaps.reduce((a, g) => a + g[key], 0);
  return {
    sent: sum('sent'),
    failed: sum('failed'),
    kills: gaps.length,
    portClosedMs: median(gaps.map((g) => g.portClosedMs)),
    renamedMs: median(gaps.map((g) => g.renamedMs)),
    removedMs: median(gaps.map((g) => g.removedMs)),
    bursts: gaps,
  };
}

/** One 500 through the balancer: how long the passive health check keeps that instance out. */
async function error(ctx) {
  const result = await underLoad(ctx, async (t0) => {
    const res = await get(ctx.agent, `http://127.0.0.1:${ctx.lb.port}/status/500`);
    const at = Date.now();
    await sleep(2500); // longer than the active health check interval (1 s)
    return { errorStatus: res.status, errorInstance: res.status === 500 ? JSON.parse(res.body).instance : null, errorAt: at - t0 };
  });
  describeLoad(ctx.run, `one GET /status/500 (answered ${result.errorStatus} by ${result.errorInstance})`, result, ctx.opts);
  console.log(
    `         ${result.errorInstance} answered nobody for ${result.outMs} ms after its 500${ctx.opts.sticky ? `; sticky clients moved ${result.moved}x` : ''}`,
  );
  return result;
}

async function rolling(ctx) {
  const { drain } = ctx.opts;
  const result = await underLoad(ctx, async () => {
    await ctx.lb.cli('restart', '--all', '--rolling', '--drain', drain);
    return {};
  });
  describeLoad(ctx.run, `restart --all --rolling --drain ${drain} under load`, result, ctx.opts);
  await ctx.waitFor('3 servers again', async () => (await ctx.servers()).length === 3, 30_000);
  return result;
}

/** Put it last: it leaves 2 instances. */
async function scale(ctx) {
  const result = await underLoad(ctx, async () => {
    await ctx.lb.cli('scale', '2');
    return {};
  });
  describeLoad(ctx.run, 'scale 3 -> 2 under load', result, ctx.opts);
  return result;
}

export const SCENARIOS = { kill, gap, error, rolling, scale };
