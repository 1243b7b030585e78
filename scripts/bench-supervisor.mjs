#!/usr/bin/env node
// Supervisor figures, with no Docker (`lb-dev up --traefik external`):
//   - memory (VmRSS, /proc/<pid>/status) of the `up` process with N instances of
//     test/fixtures/http-ok.mjs, after start-up and after a while;
//   - exit-to-rename: ms from `kill -9` of an instance to the dynamic config no longer
//     listing it (several kills, one instance at a time);
//   - control socket `status` latency, idle and while one extra instance floods its output.
//
//   node scripts/bench-supervisor.mjs [--instances 10] [--kills 10] [--cli dist/cli/main.js] [--json]
//
// Runs from source (node --import tsx src/cli/main.ts; tsx adds ~50 MB to VmRSS) unless
// --cli names a built main.js (`npm run build` -> dist/cli/main.js). Linux only (/proc).
// Everything it starts is stopped again (SIGINT, then SIGKILL of whatever carries its state
// dir marker).
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import getPort from 'get-port';
import { parse } from 'yaml';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const INSTANCES = opt('instances', 10);
const cliIndex = args.indexOf('--cli');
const BUILT_CLI = cliIndex >= 0 ? args[cliIndex + 1] : null;
/** node arguments that run the lb-dev CLI. */
const CLI_ARGS = BUILT_CLI ? [BUILT_CLI] : ['--import', 'tsx', join(root, 'src', 'cli', 'main.ts')];
const KILLS = opt('kills', 10);
const JSON_OUT = args.includes('--json');
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

if (process.platform !== 'linux') {
  console.error('bench-supervisor: Linux only (reads /proc)');
  process.exit(1);
}

const dir = mkdtempSync(join(tmpdir(), 'lbd-bench-'));
const stateDir = join(dir, 'state');
const socket = join(stateDir, 'lb-dev.sock');
const dynamicFile = join(stateDir, 'traefik', 'dynamic', 'lb-dev.yaml');
const port = await getPort({ host: '127.0.0.1' });
const apiPort = await getPort({ host: '127.0.0.1', exclude: [port] });
const fixture = (name) => `node ${join(root, 'test', 'fixtures', name)}`;
const fast = { readiness: { http: { interval: '200ms', timeout: '1s' } }, restart: { initialDelay: '200ms' }, stopGracePeriod: '2s' };
const configFile = join(dir, 'lb-dev.config.yaml');
writeFileSync(configFile, JSON.stringify({ // JSON is YAML
  stateDir,
  balancer: { port },
  traefik: { mode: 'external', apiPort },
  groups: { app: { command: fixture('http-ok.mjs'), instances: INSTANCES, ...fast } },
}));

const up = spawn(process.execPath, [...CLI_ARGS, 'up', '--config', configFile, '--traefik', 'external'], {
  cwd: root,
  env: { ...process.env, NO_COLOR: '1' },
  stdio: ['ignore', 'pipe', 'pipe'],
});
let upOutput = '';
const keep = (c) => { upOutput = (upOutput + c.toString()).slice(-20_000); };
up.stdout.on('data', keep);
up.stderr.on('data', keep);
let upExited = false;
up.once('exit', () => { upExited = true; });

/** One request to a running `up`'s control socket (the protocol of src/control/protocol.ts). */
function callAt(socketPath, method, params = {}) {
  return new Promise((resolve, reject) => {
    const s = createConnection(socketPath);
    let buffer = '';
    s.once('error', reject);
    s.on('data', (c) => {
      buffer += c.toString();
      const nl = buffer.indexOf('\n');
      if (nl < 0) return;
      const message = JSON.parse(buffer.slice(0, nl));
      s.destroy();
      if (message.error) reject(new Error(`${message.error.code}: ${message.error.message}`));
      else resolve(message.result);
    });
    s.write(`${JSON.stringify({ id: 1, method, params })}\n`);
  });
}

const call = (method, params = {}) => callAt(socket, method, params);

async function waitFor(check, what, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (upExited) throw new Error(`lb-dev up exited while waiting for ${what}:\n${upOutput}`);
    try {
      const value = await check();
      if (value) return value;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}\n${upOutput.slice(-3000)}`);
    await sleep(20);
  }
}

const allReady = (n) => waitFor(async () => {
  const r = await call('status');
  return r.instances.length === n && r.instances.every((i) => i.state === 'ready') && r.routes.written.length === n ? r : null;
}, `${n} instances ready`);

const rssMb = (pid) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) / 1024;
const hwmMb = (pid) => Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) / 1024;

function serverUrls() {
  try {
    const config = parse(readFileSync(dynamicFile, 'utf8'));
    return (config?.http?.services?.['lb-dev']?.loadBalancer?.servers ?? []).map((s) => s.url);
  } catch {
    return null;
  }
}

async function statusLatency(samples) {
  const times = [];
  for (let i = 0; i < samples; i++) {
    const t0 = performance.now();
    await call('status');
    times.push(performance.now() - t0);
    await sleep(20);
  }
  return stats(times);
}

function stats(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  const round = (v) => Math.round(v * 10) / 10;
  return { n: sorted.length, min: round(sorted[0]), p50: round(at(0.5)), p95: round(at(0.95)), max: round(sorted.at(-1)) };
}

function killMarked(state) {
  for (const pid of markedPids(state)) {
    try { process.kill(-pid, 'SIGKILL'); } catch { /* gone */ }
    try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ }
  }
}

function markedPids(state) {
  const marker = `\0LB_DEV_STATE_DIR=${state}\0`;
  const pids = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (`\0${readFileSync(`/proc/${entry}/environ`, 'utf8')}`.includes(marker)) pids.push(Number(entry));
    } catch {
      // gone
    }
  }
  return pids;
}

const results = { instances: INSTANCES };
try {
  const started = Date.now();
  const report = await allReady(INSTANCES);
  results.startToAllReadyMs = Date.now() - started;
  const upPid = report.pid;
  await sleep(1_000);
  results.rssAfterStartMb = Math.round(rssMb(upPid));

  // Exit-to-rename: kill -9 one instance, watch the file until its URL is gone.
  const exitToRename = [];
  for (let k = 0; k < KILLS; k++) {
    const r = await allReady(INSTANCES);
    const victim = r.instances[k % r.instances.length];
    const url = `http://127.0.0.1:${victim.port}`;
    const t0 = performance.now();
    process.kill(victim.pid, 'SIGKILL');
    for (;;) {
      const urls = serverUrls();
      if (urls && !urls.includes(url)) break;
      if (performance.now() - t0 > 10_000) throw new Error(`${victim.name} still in the config 10s after kill -9`);
      await sleep(1);
    }
    exitToRename.push(performance.now() - t0);
  }
  results.killToConfigWithoutItMs = stats(exitToRename);
  // The supervisor's own figure: its exit event -> the rename that dropped the route (lb-dev.log).
  await sleep(300);
  const logged = [...readFileSync(join(stateDir, 'logs', 'lb-dev.log'), 'utf8').matchAll(/"msg":"routes -> \[[^\]]*\] \((\d+)ms after the last exit\)"/g)]
    .map((m) => Number(m[1]));
  // Every kill gives two writes (without it, then with it again after the restart): the first of each pair.
  results.exitToRenameMs = stats(logged.filter((_, i) => i % 2 === 0));
  await allReady(INSTANCES);

  results.statusIdleMs = await statusLatency(50);
  results.rssIdleMb = Math.round(rssMb(upPid));

  results.rssEndMb = Math.round(rssMb(upPid));
  results.rssPeakMb = Math.round(hwmMb(upPid));
} finally {
  up.kill('SIGINT');
  const deadline = Date.now() + 20_000;
  while (!upExited && Date.now() < deadline) await sleep(50);
  if (!upExited) up.kill('SIGKILL');
  killMarked(stateDir);
}

// Phase 2: status latency and memory while an instance floods its output.
const floodResults = await floodPhase();
Object.assign(results, floodResults);
rmSync(dir, { recursive: true, force: true });

if (JSON_OUT) {
  process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
} else {
  const k = results.killToConfigWithoutItMs;
  const si = results.statusIdleMs;
  const sf = results.statusUnderFloodMs;
  console.log(`lb-dev supervisor bench (${INSTANCES} x http-ok.mjs, --traefik external, ${BUILT_CLI ? `built CLI ${BUILT_CLI}` : 'from source via tsx'})`);
  console.log(`  start -> all ready + routed:      ${results.startToAllReadyMs} ms`);
  console.log(`  VmRSS after start-up:             ${results.rssAfterStartMb} MB`);
  console.log(`  VmRSS after ${KILLS} kills/restarts:  ${results.rssIdleMb} MB (end ${results.rssEndMb} MB, peak VmHWM ${results.rssPeakMb} MB)`);
  const e = results.exitToRenameMs;
  console.log(`  kill -9 -> config without it:     p50 ${k.p50} ms, p95 ${k.p95} ms, max ${k.max} ms (n=${k.n}, seen by polling the file)`);
  console.log(`  exit seen -> renamed (lb-dev.log): p50 ${e.p50} ms, p95 ${e.p95} ms, max ${e.max} ms (n=${e.n})`);
  console.log(`  status latency, idle:             p50 ${si.p50} ms, p95 ${si.p95} ms, max ${si.max} ms`);
  console.log(`  status latency, 1 flooding inst.: p50 ${sf.p50} ms, p95 ${sf.p95} ms, max ${sf.max} ms; VmRSS ${results.rssUnderFloodMb} MB; ${results.floodLinesPerSec} lines/s taken in`);
}

async function floodPhase() {
  const fdir = mkdtempSync(join(tmpdir(), 'lbd-bench-flood-'));
  const fstate = join(fdir, 'state');
  const fsocket = join(fstate, 'lb-dev.sock');
  const fport = await getPort({ host: '127.0.0.1' });
  const fconfig = join(fdir, 'lb-dev.config.yaml');
  writeFileSync(fconfig, JSON.stringify({
    stateDir: fstate,
    balancer: { port: fport },
    traefik: { mode: 'external', apiPort: await getPort({ host: '127.0.0.1', exclude: [fport] }) },
    groups: {
      app: { command: fixture('http-ok.mjs'), instances: 3, ...fast },
      flood: { command: fixture('flood.mjs'), instances: 1, ...fast },
    },
  }));
  const child = spawn(process.execPath, [...CLI_ARGS, 'up', '--config', fconfig, '--traefik', 'external'], {
    cwd: root, env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.resume();
  child.stderr.resume();
  let exited = false;
  child.once('exit', () => { exited = true; });
  const fcall = (method) => callAt(fsocket, method);
  try {
    const deadline = Date.now() + 60_000;
    let report;
    for (;;) {
      if (exited) throw new Error('flood up exited');
      try {
        report = await fcall('status');
        if (report.instances.every((i) => i.state === 'ready')) break;
      } catch {
        // starting
      }
      if (Date.now() > deadline) throw new Error('flood run not ready');
      await sleep(50);
    }
    await sleep(1_000);
    const linesBefore = countLines(join(fstate, 'logs'));
    const t0 = Date.now();
    const times = [];
    while (Date.now() - t0 < 3_000) {
      const s0 = performance.now();
      await fcall('status');
      times.push(performance.now() - s0);
      await sleep(20);
    }
    const linesAfter = countLines(join(fstate, 'logs'));
    return {
      statusUnderFloodMs: stats(times),
      rssUnderFloodMb: Math.round(rssMb(report.pid)),
      floodLinesPerSec: Math.round((linesAfter - linesBefore) / ((Date.now() - t0) / 1000)),
    };
  } finally {
    child.kill('SIGINT');
    const deadline = Date.now() + 20_000;
    while (!exited && Date.now() < deadline) await sleep(50);
    if (!exited) child.kill('SIGKILL');
    killMarked(fstate);
    rmSync(fdir, { recursive: true, force: true });
  }
}

/** Lines taken in so far from the flood instance: the highest line number in its log files (rotation-proof). */
function countLines(logsDir) {
  let highest = 0;
  for (const name of ['flood-1.log', 'flood-1.log.1']) {
    try {
      const text = readFileSync(join(logsDir, name), 'utf8');
      for (const m of text.slice(-4000).matchAll(/line (\d+)/g)) highest = Math.max(highest, Number(m[1]));
    } catch {
      // not there (yet)
    }
  }
  return highest;
}
