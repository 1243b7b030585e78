// One `lb-dev up` (the built CLI) on a temp state dir and free ports, with helpers bound to it.
// Stopping it: SIGINT and wait; then SIGKILL of anything still carrying its state dir marker.
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { onCleanup } from './cleanup.mjs';
import { callSocket } from './control.mjs';
import { killAll, pidsWithEnv } from './proc.mjs';
import { CLI, ROOT, fatal, freePort, retryIfPortTaken, waitFor } from './util.mjs';

const STOP_TIMEOUT_MS = 30_000;

/**
 * `config` is lb-dev's YAML config as an object (stateDir, ports and traefik.mode are filled
 * in); `traefik` is { mode, binary?, image? }; `nodeArgs` go before the CLI (e.g. --cpu-prof).
 */
export async function startUp({ config = {}, traefik = { mode: 'external' }, nodeArgs = [], label = 'lb-dev up' }) {
  const dir = mkdtempSync(join(tmpdir(), 'lb-dev-bench-'));
  const stateDir = join(dir, 'state');
  const port = await freePort();
  const apiPort = await freePort();
  const configFile = join(dir, 'lb-dev.config.yaml');
  writeFileSync(
    configFile,
    JSON.stringify({
      // JSON is YAML
      ...config,
      stateDir,
      balancer: { ...config.balancer, port },
      traefik: { ...config.traefik, ...traefik, apiPort },
    }),
  );
  const startedAt = Date.now();
  const spawnedAt = performance.now();
  const up = spawn(process.execPath, [...nodeArgs, CLI, 'up', '--config', configFile], {
    cwd: dir,
    env: { ...process.env, NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (c) => {
    output = (output + c.toString()).slice(-20_000);
  };
  up.stdout.on('data', keep);
  up.stderr.on('data', keep);
  const exited = new Promise((resolve) => up.once('exit', resolve));

  const stop = onCleanup(`${label} (${stateDir})`, async () => {
    if (up.exitCode === null && up.signalCode === null) {
      up.kill('SIGINT');
      let timer;
      const done = await Promise.race([
        exited.then(() => true),
        new Promise((r) => {
          timer = setTimeout(r, STOP_TIMEOUT_MS, false);
        }),
      ]);
      clearTimeout(timer);
      if (!done) up.kill('SIGKILL');
    }
    killAll(pidsWithEnv('LB_DEV_STATE_DIR', stateDir));
    rmSync(dir, { recursive: true, force: true });
  });

  const call = (method, params) => callSocket(join(stateDir, 'lb-dev.sock'), method, params);
  const running = () => up.exitCode === null && up.signalCode === null;
  /** Waits until `n` instances are ready and routed; returns the status report. */
  const allReady = (n, timeoutMs = 120_000) =>
    waitFor(
      `${n} instances ready (${label})`,
      async () => {
        if (!running()) throw fatal(`${label} exited`);
        const r = await call('status');
        return r.instances.length === n && r.instances.every((i) => i.state === 'ready') && r.routes.written.length === n ? r : null;
      },
      timeoutMs,
    ).catch((error) => {
      throw new Error(`${error.message}\n${output.slice(-3000)}`);
    });

  return {
    up,
    exited,
    dir,
    stateDir,
    configFile,
    port,
    apiPort,
    startedAt,
    spawnedAt,
    stop,
    call,
    allReady,
    output: () => output,
    dynamicDir: join(stateDir, 'traefik', 'dynamic'),
    logsDir: join(stateDir, 'logs'),
    url: `http://127.0.0.1:${port}`,
    apiUrl: `http://127.0.0.1:${apiPort}`,
    /** Runs another lb-dev command against this one, without blocking the event loop. */
    cli: (...args) =>
      new Promise((resolve, reject) => {
        execFile(process.execPath, [CLI, ...args, '--config', configFile], { cwd: ROOT, encoding: 'utf8' }, (error, stdout, stderr) => {
          if (error) reject(new Error(`lb-dev ${args.join(' ')}: ${stderr || error.message}`));
          else resolve(stdout);
        });
      }),
  };
}

/**
 * startUp, then `until(lb)` (e.g. lb.allReady(n)); resolves { lb, value }. Stops that `up` if
 * `until` fails, and starts another on new ports if a port found free was taken before it was bound.
 */
export function startUntil(options, until) {
  return retryIfPortTaken(options.label ?? 'lb-dev up', async () => {
    const lb = await startUp(options);
    try {
      return { lb, value: await until(lb) };
    } catch (error) {
      await lb.stop();
      throw error;
    }
  });
}
