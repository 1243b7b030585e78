// What the supervisor itself costs: lb-dev's `up` process in its default configuration (a Traefik
// binary whose access log it reads, its dashboard and metrics endpoint; Traefik's own process is
// not in the figures) beside PM2's God daemon, each supervising the same N copies of
// fixtures/chatty.mjs, idle and under log load (each instance printing LOG_RATE lines/s).
// Memory: VmRSS after the window; CPU: utime+stime over the window, as % of one core. lb-dev's
// figure includes its lifeline watchdog process when `up` runs one (summed, and shown apart).
import { join } from 'node:path';
import { startPm2 } from '../lib/pm2.mjs';
import { pidsWithArgs, sampleCost } from '../lib/proc.mjs';
import { startUntil } from '../lib/lbdev.mjs';
import { load1 } from '../lib/machine.mjs';
import { BENCH_FIXTURES, accepts, freePort, round, sleep, waitFor } from '../lib/util.mjs';

const CHATTY = join(BENCH_FIXTURES, 'chatty.mjs');
export const LOG_RATE = 100;
/** After every instance is up: the start-up's own work (first probes, compiling) is over by then. */
const SETTLE_MS = 5_000;

/** Memory and CPU of `up` (run with `nodeArgs`) and its watchdog, supervising n copies of chatty.mjs. */
export async function lbDevCost(binary, n, linesPerSec, windowMs, nodeArgs = []) {
  const { lb } = await startUntil(
    {
      config: { command: `node ${CHATTY}`, instances: n, env: { BENCH_LINES_PER_SEC: String(linesPerSec) } },
      traefik: { mode: 'binary', binary },
      nodeArgs,
      label: `lb-dev up (${n} instances)`,
    },
    (started) => started.allReady(n, 180_000),
  );
  try {
    await sleep(SETTLE_MS);
    const watchdogs = pidsWithArgs(['lifeline-watchdog', lb.stateDir]);
    const [up, ...others] = await sampleCost([lb.up.pid, ...watchdogs], windowMs);
    const watchdogRssMb = others.reduce((a, c) => a + c.rssMb, 0);
    return {
      rssMb: up.rssMb + watchdogRssMb,
      cpuPercent: up.cpuPercent + others.reduce((a, c) => a + c.cpuPercent, 0),
      watchdogRssMb: watchdogs.length ? watchdogRssMb : null,
    };
  } finally {
    await lb.stop();
  }
}

async function pm2Cost(n, linesPerSec, windowMs) {
  const apps = [];
  for (let i = 1; i <= n; i++) {
    const port = await freePort();
    apps.push({ name: `app-${i}`, script: CHATTY, autorestart: true, env: { PORT: String(port), BENCH_LINES_PER_SEC: String(linesPerSec) } });
  }
  const pm2 = await startPm2(apps);
  try {
    await waitFor(`${n} PM2 apps to listen`, async () => (await Promise.all(apps.map((a) => accepts(Number(a.env.PORT))))).every(Boolean), 180_000, 100);
    await sleep(SETTLE_MS);
    const [cost] = await sampleCost([pm2.daemonPid], windowMs);
    return cost;
  } finally {
    await pm2.stop();
  }
}

export async function supervisorCost({ quick, binary, log }) {
  const counts = quick ? [1, 10] : [1, 10, 50];
  // Idle CPU is a few ticks (10 ms each) in a window: a long one tells 0.3 % from 1 %.
  const windows = { idle: quick ? 2_000 : 30_000, logs: quick ? 2_000 : 10_000 };
  const rows = [];
  for (const n of counts) {
    for (const load of ['idle', 'logs']) {
      const rate = load === 'idle' ? 0 : LOG_RATE;
      const loadavg = load1();
      const lbDev = await lbDevCost(binary, n, rate, windows[load]);
      const pm2 = await pm2Cost(n, rate, windows[load]);
      const row = {
        instances: n,
        load,
        loadavg,
        lbDev: { rssMb: round(lbDev.rssMb), cpuPercent: round(lbDev.cpuPercent, 2), watchdogRssMb: round(lbDev.watchdogRssMb) },
        pm2: { rssMb: round(pm2.rssMb), cpuPercent: round(pm2.cpuPercent, 2) },
      };
      log(`supervisor ${n} x ${load}: lb-dev ${row.lbDev.rssMb} MB ${row.lbDev.cpuPercent}% | PM2 ${row.pm2.rssMb} MB ${row.pm2.cpuPercent}%`);
      rows.push(row);
    }
  }
  return { windows, settleMs: SETTLE_MS, logRate: LOG_RATE, rows };
}
