#!/usr/bin/env node
// Profiles the supervisor idle: `lb-dev up --traefik external` with 10 instances of
// fixtures/chatty.mjs (silent), under --cpu-prof and --heapsnapshot-signal, plus a preload that
// records the modules it loads and the timers it creates. Prints what costs memory and idle CPU.
//
//   node scripts/bench/profile.mjs [--instances 10] [--idle 30] [--lines 0] [--traefik binary] [--keep]
//
// --traefik binary runs lb-dev's default configuration (a Traefik binary, access log, dashboard
// and metrics) instead of external mode, which has no Traefik to confirm routes in or to tail.
// --lines N has each instance print N lines/s (the cost under log load instead of idle).
// --keep leaves the .cpuprofile and .heapsnapshot in the printed directory (for Chrome DevTools).
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cleanUpAll } from './lib/cleanup.mjs';
import { startUp } from './lib/lbdev.mjs';
import { cpuSeconds, rssMb } from './lib/proc.mjs';
import { traefikBinary } from './lib/traefik.mjs';
import { BENCH_FIXTURES, sleep, waitFor } from './lib/util.mjs';
import { cpuReport, heapReport, moduleReport, timerReport } from './profile/analyze.mjs';

const args = process.argv.slice(2);
const value = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const INSTANCES = value('instances', 10);
const IDLE_MS = value('idle', 30) * 1000;
const LINES_PER_SEC = value('lines', 0);
const keep = args.includes('--keep');
const traefikMode = args.includes('--traefik') ? args[args.indexOf('--traefik') + 1] : 'external';
if (!['external', 'binary'].includes(traefikMode)) throw new Error(`--traefik: expected external or binary, got ${traefikMode}`);

const dir = mkdtempSync(join(tmpdir(), 'lb-dev-profile-'));
const out = join(dir, 'preload.json');
process.env.BENCH_PROFILE_OUT = out;
try {
  const lb = await startUp({
    config: { command: `node ${join(BENCH_FIXTURES, 'chatty.mjs')}`, instances: INSTANCES, env: { BENCH_LINES_PER_SEC: String(LINES_PER_SEC) } },
    traefik: traefikMode === 'binary' ? { mode: 'binary', binary: traefikBinary() } : { mode: 'external' },
    nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${dir}`, '--heapsnapshot-signal=SIGUSR2', '--import', new URL('./profile/preload.mjs', import.meta.url).href],
    label: 'lb-dev up (profiled)',
  });
  await lb.allReady(INSTANCES);
  const pid = lb.up.pid;
  const startMs = Date.now() - lb.startedAt;
  await sleep(2_000);
  // CLOCK_MONOTONIC µs: the clock of the .cpuprofile's timestamps and of the preload's timers.
  const nowUs = () => Number(process.hrtime.bigint() / 1000n);
  const idleFrom = nowUs();
  const cpu0 = cpuSeconds(pid);
  await sleep(IDLE_MS);
  const cpuPercent = ((cpuSeconds(pid) - cpu0) / (IDLE_MS / 1000)) * 100;
  const rss = rssMb(pid);
  const idleTo = nowUs();
  process.kill(pid, 'SIGUSR2');
  // Writing a snapshot stops the process for a while; it is complete once the file is renamed.
  await waitFor('the heap snapshot', () => readdirSync(lb.dir).some((f) => f.endsWith('.heapsnapshot')), 60_000, 200);
  await sleep(1_000);
  lb.up.kill('SIGINT');
  await lb.exited;
  await waitFor('the cpu profile', () => readdirSync(dir).some((f) => f.endsWith('.cpuprofile')), 10_000);
  const snapshot = join(
    lb.dir,
    readdirSync(lb.dir).find((f) => f.endsWith('.heapsnapshot')),
  );
  const load = LINES_PER_SEC > 0 ? `${LINES_PER_SEC} lines/s each` : 'idle';
  console.log(`lb-dev up, ${INSTANCES} instances (${traefikMode} mode, ${load}), ready ${startMs} ms after spawn; window ${IDLE_MS / 1000} s:`);
  console.log(`  CPU ${cpuPercent.toFixed(2)} % of a core (utime+stime), VmRSS ${rss.toFixed(1)} MB`);
  cpuReport(
    join(
      dir,
      readdirSync(dir).find((f) => f.endsWith('.cpuprofile')),
    ),
    idleFrom,
    idleTo,
  );
  timerReport(out, idleFrom, idleTo);
  moduleReport(out);
  heapReport(snapshot);
  if (keep) {
    const kept = join(dir, 'heap.heapsnapshot');
    (await import('node:fs')).copyFileSync(snapshot, kept);
    console.log(`kept ${dir}`);
  }
  await lb.stop();
} finally {
  await cleanUpAll();
  if (!keep) rmSync(dir, { recursive: true, force: true });
}
