#!/usr/bin/env node
// Soak test (not in CI): does lb-dev hold up for half an hour of load and crashes?
//
//   node scripts/soak.mjs [--minutes 30] [--traefik docker|binary] [--port 3900] [--api-port 3901]
//        [--concurrency 8] [--sample-every 30 (seconds)] [--json out.json] [--storm 50]
//
// --storm N adds the operation storm (issue 19; scripts/lib/storm.mjs): N control clients issue
// random scale, rolling restart, restart, stop, start and kill for the whole run, and every second
// the soak checks that every process lb-dev started is in a group its lifeline record holds. At the
// end the cluster is scaled to 3 and status, processes, Traefik's API and the record must agree.
// `--storm 50 --minutes 10` is the issue's 10-minute storm. A violation fails the soak.
//
// Starts `lb-dev up` (3 demo instances, a temp state dir) on non-default ports (so it does not
// collide with anything on 3000/8080), puts steady load on the balancer (127.0.0.1 only,
// `concurrency` keep-alive clients on GET /api/info, 5 s per-request timeout, at most one
// request in flight per client: bounded), and runs `lb-dev chaos --interval 10s --keep 2`
// beside it, which SIGKILLs one instance every 10 s while at least 2 stay ready.
// Every `--sample-every` seconds it samples the supervisor's (the `up` process's) RSS
// (/proc/<pid>/status VmRSS) and open file descriptors (/proc/<pid>/fd count).
// At the end it stops chaos, stops `up` with SIGINT, and reports: requests, failed requests
// (status >= 500 or a client-side error), kills, RSS and fds (first/last/max, and every
// sample), and leftovers: processes carrying the state dir's LB_DEV_STATE_DIR marker and
// containers labelled with the state dir (both should be 0).
// Needs a built dist/ (npx tsc -p tsconfig.build.json) and, for docker, the traefik:v3.6 image.
import { execFile, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startStorm } from './lib/soak-storm.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = join(root, 'dist', 'cli', 'main.js');
const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
};
const positive = (name, fallback) => {
  const value = Number(arg(name, fallback));
  if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name}: expected a positive number, got ${arg(name, fallback)}`);
  return value;
};
const minutes = positive('minutes', '30');
const mode = arg('traefik', 'docker');
if (mode !== 'docker' && mode !== 'binary') throw new Error(`--traefik: expected docker or binary, got ${mode}`);
const port = positive('port', '3900');
const apiPort = positive('api-port', '3901');
const concurrency = positive('concurrency', '8');
const sampleEveryMs = positive('sample-every', '30') * 1000;
const jsonOut = arg('json', null);
const stormClients = arg('storm', null) === null ? 0 : positive('storm', '50');
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const stamp = () => new Date().toISOString().slice(11, 19);

const work = mkdtempSync(join(tmpdir(), 'lb-dev-soak-'));
const stateDir = join(work, 'state');
const configFile = join(work, 'lb-dev.config.yaml');
const traefikBinary = mode === 'binary' ? execFileSync('bash', [join(root, 'scripts/provide-traefik.sh'), '--binary'], { encoding: 'utf8' }).trim() : 'traefik';
writeFileSync(
  configFile,
  [
    `stateDir: ${JSON.stringify(stateDir)}`,
    `balancer: { port: ${port} }`,
    `traefik: { mode: ${mode}, apiPort: ${apiPort}, binary: ${JSON.stringify(traefikBinary)} }`,
    'instances: 3',
    'readiness:',
    '  http: { path: /api/info, interval: 200ms }',
    '',
  ].join('\n'),
);

const cli = (...args) =>
  new Promise((resolve, reject) => {
    execFile(process.execPath, [bin, ...args, '--config', configFile], { encoding: 'utf8' }, (error, stdout, stderr) => {
      if (error) reject(new Error(`lb-dev ${args.join(' ')}: ${stderr || error.message}`));
      else resolve(stdout);
    });
  });

const upOutput = [];
const up = spawn(process.execPath, [bin, 'up', '--config', configFile], { stdio: ['ignore', 'pipe', 'pipe'] });
for (const stream of [up.stdout, up.stderr]) {
  stream.setEncoding('utf8');
  stream.on('data', (d) => {
    upOutput.push(d);
    if (upOutput.length > 200) upOutput.shift();
  });
}
const upExited = new Promise((resolve) => up.once('exit', (code, signal) => resolve({ code, signal })));
let upGone = false;
void upExited.then(() => {
  upGone = true;
});

async function waitReady() {
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (upGone) throw new Error(`lb-dev up exited before it was ready:\n${upOutput.join('')}`);
    try {
      const report = JSON.parse(await cli('status', '--json'));
      if (report.instances.filter((i) => i.state === 'ready').length === 3) return;
    } catch {
      /* not up yet */
    }
    await sleep(250);
  }
  throw new Error(`not ready within 120 s:\n${upOutput.join('')}`);
}

function get(agent) {
  return new Promise((resolve) => {
    const req = http.get({ host: '127.0.0.1', port, path: '/api/info', agent, timeout: 5000 }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0 }));
      res.on('error', (e) => resolve({ status: 0, code: e.code ?? e.message }));
    });
    req.on('timeout', () => req.destroy(Object.assign(new Error('timeout (5 s)'), { code: 'TIMEOUT' })));
    req.on('error', (e) => resolve({ status: 0, code: e.code ?? e.message }));
  });
}

const load = { requests: 0, failed: 0, byKind: new Map(), stop: false };
async function client() {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  while (!load.stop) {
    const r = await get(agent);
    load.requests++;
    if (r.status === 0 || r.status >= 500) {
      load.failed++;
      const kind = r.status === 0 ? r.code : String(r.status);
      load.byKind.set(kind, (load.byKind.get(kind) ?? 0) + 1);
    }
  }
  agent.destroy();
}

function sample(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const rssKb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN);
  return { minute: 0, rssMb: Math.round(rssKb / 102.4) / 10, fds: readdirSync(`/proc/${pid}/fd`).length };
}

/** Live processes whose environment carries this state dir's marker. */
function markedProcesses() {
  const marker = `\0LB_DEV_STATE_DIR=${stateDir}\0`;
  return readdirSync('/proc')
    .filter((e) => /^\d+$/.test(e))
    .filter((pid) => {
      try {
        const state = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.[0];
        return state !== 'Z' && `\0${readFileSync(`/proc/${pid}/environ`, 'utf8')}`.includes(marker);
      } catch {
        return false;
      }
    })
    .map(Number);
}

function labelledContainers() {
  try {
    return execFileSync('docker', ['ps', '-aq', '--filter', 'label=dev.lb-dev.managed=true', '--filter', `label=dev.lb-dev.state-dir=${stateDir}`], {
      encoding: 'utf8',
    })
      .split('\n')
      .filter(Boolean);
  } catch {
    return [];
  }
}

const summary = (xs) => ({ first: xs[0], last: xs.at(-1), max: Math.max(...xs), min: Math.min(...xs) });

let chaos = null;
const onInterrupt = () => {
  load.stop = true;
  chaos?.kill('SIGINT');
  up.kill('SIGINT');
};
process.once('SIGINT', onInterrupt);
try {
  await waitReady();
  const started = Date.now();
  console.log(
    `${stamp()} soak: ${minutes} min, ${mode} Traefik, balancer 127.0.0.1:${port}, ${concurrency} keep-alive clients, chaos every 10 s (keep 2); supervisor pid ${up.pid}`,
  );
  const clients = Array.from({ length: concurrency }, () => client());
  const chaosLines = [];
  chaos = spawn(process.execPath, [bin, 'chaos', '--interval', '10s', '--keep', '2', '--json', '--config', configFile], { stdio: ['ignore', 'pipe', 'pipe'] });
  chaos.stdout.setEncoding('utf8');
  chaos.stdout.on('data', (d) => chaosLines.push(...d.split('\n').filter(Boolean)));
  chaos.stderr.on('data', (d) => process.stderr.write(`chaos: ${d}`));
  const chaosExited = new Promise((resolve) => chaos.once('exit', resolve));
  const end = started + minutes * 60_000;
  const storm = stormClients
    ? await startStorm({ root, stateDir, apiPort, clients: stormClients, until: () => Date.now() < end && !upGone && !load.stop, markedProcesses })
    : null;
  const samples = [];
  const take = () => {
    const s = { ...sample(up.pid), minute: Math.round((Date.now() - started) / 600) / 100 };
    samples.push(s);
    const kills = chaosLines.filter((l) => l.includes('"event":"kill"')).length;
    const stormed = storm ? `, storm violations ${storm.violations.length}` : '';
    console.log(`${stamp()} t=${s.minute} min: rss ${s.rssMb} MB, fds ${s.fds}, requests ${load.requests}, failed ${load.failed}, kills ${kills}${stormed}`);
  };
  take();
  while (Date.now() < end && !upGone && !load.stop) {
    await sleep(Math.min(sampleEveryMs, end - Date.now()));
    if (!upGone) take();
  }
  if (upGone) throw new Error(`lb-dev up exited during the soak:\n${upOutput.join('')}`);
  chaos.kill('SIGINT');
  await chaosExited;
  const stormResult = storm ? await storm.finish() : null;
  load.stop = true;
  await Promise.all(clients);
  up.kill('SIGINT');
  const exit = await upExited;
  const kills = chaosLines.filter((l) => l.includes('"event":"kill"')).length;
  const skips = chaosLines.filter((l) => l.includes('"event":"skip"')).length;
  const leftoverPids = markedProcesses();
  const leftoverContainers = mode === 'docker' ? labelledContainers() : [];
  const result = {
    minutes,
    mode,
    concurrency,
    requests: load.requests,
    failed: load.failed,
    failedByKind: Object.fromEntries(load.byKind),
    kills,
    skips,
    rssMb: summary(samples.map((s) => s.rssMb)),
    fds: summary(samples.map((s) => s.fds)),
    samples,
    upExit: exit,
    leftoverProcesses: leftoverPids,
    leftoverContainers,
    ...(stormResult ? { storm: stormResult } : {}),
  };
  console.log(
    `\nrequests ${result.requests}, failed ${result.failed} (${((100 * result.failed) / Math.max(1, result.requests)).toFixed(3)} %) ${JSON.stringify(result.failedByKind)}`,
  );
  console.log(`chaos: ${kills} kills, ${skips} skipped`);
  console.log(`supervisor RSS MB: first ${result.rssMb.first}, last ${result.rssMb.last}, min ${result.rssMb.min}, max ${result.rssMb.max}`);
  console.log(`supervisor fds: first ${result.fds.first}, last ${result.fds.last}, min ${result.fds.min}, max ${result.fds.max}`);
  console.log(`up exited with ${exit.code ?? exit.signal}; leftover processes: ${leftoverPids.length}, leftover containers: ${leftoverContainers.length}`);
  if (stormResult) {
    console.log(`storm: ${stormResult.calls} operations from ${stormClients} clients, ${stormResult.refused} refused with an expected code`);
    console.log(
      `storm: ${stormResult.violations.length} seconds with an untracked process; afterwards ${stormResult.disagreementAfter ?? 'status, processes, Traefik and the record agree'}`,
    );
    if (stormResult.violations.length || stormResult.disagreementAfter) process.exitCode = 1;
  }
  if (jsonOut) writeFileSync(jsonOut, `${JSON.stringify(result, null, 2)}\n`);
  if (leftoverPids.length > 0 || leftoverContainers.length > 0) process.exitCode = 1;
} catch (error) {
  console.error(`soak failed: ${error.message}`);
  process.exitCode = 1;
  onInterrupt();
  await upExited;
} finally {
  rmSync(work, { recursive: true, force: true });
}
