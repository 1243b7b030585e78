#!/usr/bin/env node
// Failover benchmark: what a crash, a rolling restart and a scale-down cost clients.
//
//   node scripts/bench-failover.mjs [--traefik docker|binary] [--seconds 6] [--concurrency 8]
//
// Starts `lb-dev up` (3 demo instances, free ports, a temp state dir), puts steady load on
// the balancer (127.0.0.1 only), and in turn: SIGKILLs an instance, runs
// `restart --all --rolling`, and scales 3 -> 2. For each it prints requests sent, failed
// responses (status >= 500 or a connection error), and for the kill the time from the kill
// until Traefik's API no longer lists the instance. Also prints up -> all-ready.
// Needs a built dist/ (npm run build) and, for docker, the traefik:v3.6 image.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = join(root, 'dist', 'cli', 'main.js');
const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
};
const mode = arg('traefik', 'docker');
const seconds = Number(arg('seconds', '6'));
const concurrency = Number(arg('concurrency', '8'));
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function freePort() {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
  });
}

const stateDir = mkdtempSync(join(tmpdir(), 'lb-dev-bench-'));
const port = await freePort();
const apiPort = await freePort();
const configFile = join(stateDir, 'lb-dev.config.yaml');
let traefikBinary = 'traefik';
if (mode === 'binary') traefikBinary = execFileSync('bash', [join(root, 'scripts/provide-traefik.sh'), '--binary'], { encoding: 'utf8' }).trim();
writeFileSync(configFile, [
  `stateDir: ${JSON.stringify(join(stateDir, 'state'))}`,
  'balancer:',
  `  port: ${port}`,
  'traefik:',
  `  mode: ${mode}`,
  `  apiPort: ${apiPort}`,
  `  binary: ${JSON.stringify(traefikBinary)}`,
  'instances: 3',
  'readiness:',
  '  http: { path: /api/info, interval: 200ms }',
  '',
].join('\n'));

const cli = (...args) => execFileSync(process.execPath, [bin, ...args, '--config', configFile], { encoding: 'utf8' });
const status = () => JSON.parse(cli('status', '--json'));
const upStarted = Date.now();
const up = spawn(process.execPath, [bin, 'up', '--config', configFile], { stdio: ['ignore', 'pipe', 'pipe'] });
let upOutput = '';
up.stdout.on('data', (d) => { upOutput += d; });
up.stderr.on('data', (d) => { upOutput += d; });
const stopUp = async () => {
  if (up.exitCode === null) {
    up.kill('SIGINT');
    await new Promise((r) => up.once('exit', r));
  }
  rmSync(stateDir, { recursive: true, force: true });
};
process.on('SIGINT', () => { void stopUp().then(() => process.exit(130)); });

async function waitFor(what, check, timeoutMs = 120_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try { if (await check()) return; } catch { /* not up yet */ }
    if (up.exitCode !== null) throw new Error(`lb-dev up exited (${up.exitCode}) while waiting for ${what}:\n${upOutput}`);
    await sleep(20);
  }
  throw new Error(`timed out waiting for ${what}:\n${upOutput}`);
}

const url = `http://127.0.0.1:${port}/api/info`;
const api = `http://127.0.0.1:${apiPort}/api/http/services/lb-dev@file`;
const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });

function get(target) {
  return new Promise((resolve) => {
    const req = http.get(target, { agent, timeout: 5000 }, (res) => {
      let body = '';
      res.on('data', (d) => { body += d; });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', (e) => resolve({ status: 0, body: e.message }));
  });
}

async function servers() {
  const res = await get(api);
  return res.status === 200 ? JSON.parse(res.body).loadBalancer.servers.map((s) => s.url) : [];
}

/** Steady load while `action` runs; returns counts. */
async function underLoad(action) {
  let stop = false;
  const counts = { sent: 0, failed: 0, byStatus: {}, errors: {} };
  const loops = Array.from({ length: concurrency }, async () => {
    while (!stop) {
      const res = await get(url);
      counts.sent++;
      counts.byStatus[res.status] = (counts.byStatus[res.status] ?? 0) + 1;
      if (res.status === 0 || res.status >= 500) {
        counts.failed++;
        const why = res.status === 0 ? res.body : `${res.status} ${res.body.slice(0, 40)}`;
        counts.errors[why] = (counts.errors[why] ?? 0) + 1;
      }
    }
  });
  await sleep(1000);
  const extra = await action();
  await sleep(1000);
  stop = true;
  await Promise.all(loops);
  return { ...counts, ...extra };
}

try {
  await waitFor('all instances ready', () => status().instances.every((i) => i.state === 'ready'));
  const readyMs = Date.now() - upStarted;
  await waitFor('Traefik to list 3 servers', async () => (await servers()).length === 3);
  console.log(`lb-dev up (${mode}) -> 3 demo instances ready: ${readyMs} ms`);

  const kill = await underLoad(async () => {
    const victim = status().instances[1];
    const victimUrl = `http://127.0.0.1:${victim.port}`;
    const t0 = Date.now();
    cli('kill', victim.name);
    await waitFor('Traefik to drop the killed instance', async () => !(await servers()).includes(victimUrl), 10_000);
    const removedMs = Date.now() - t0;
    await waitFor('the killed instance to be back', async () => (await servers()).includes(victimUrl), 30_000);
    return { removedMs, backMs: Date.now() - t0 };
  });
  console.log(`SIGKILL one of 3 under load (${concurrency} clients): ${kill.sent} requests, ${kill.failed} failed; `
    + `kill -> gone from Traefik's API ${kill.removedMs} ms; back in ${kill.backMs} ms; statuses ${JSON.stringify(kill.byStatus)} ${JSON.stringify(kill.errors)}`);

  const rolling = await underLoad(async () => { cli('restart', '--all', '--rolling', '--drain', '500ms'); return {}; });
  console.log(`restart --all --rolling under load: ${rolling.sent} requests, ${rolling.failed} failed; statuses ${JSON.stringify(rolling.byStatus)} ${JSON.stringify(rolling.errors)}`);

  const scale = await underLoad(async () => { cli('scale', '2'); return {}; });
  console.log(`scale 3 -> 2 under load: ${scale.sent} requests, ${scale.failed} failed; statuses ${JSON.stringify(scale.byStatus)} ${JSON.stringify(scale.errors)}`);
} finally {
  agent.destroy();
  if (process.env.BENCH_SHOW_LOG) console.log(upOutput);
  await stopUp();
}
