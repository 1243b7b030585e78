// Small helpers every scenario uses: paths, waiting, free ports, percentiles.
import net from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const CLI = join(ROOT, 'dist', 'cli', 'main.js');
export const DEMO = join(ROOT, 'dist', 'demo', 'server.js');
export const FIXTURES = join(ROOT, 'test', 'fixtures');
export const BENCH_FIXTURES = join(ROOT, 'scripts', 'bench', 'fixtures');

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** An error that stops waitFor at once: waiting longer cannot help (e.g. the process exited). */
export const fatal = (message) => Object.assign(new Error(message), { fatal: true });

/**
 * Polls `check` until it returns something truthy; throws naming `what` after `timeoutMs`, or at
 * once when `check` throws an error marked `fatal` (waiting longer cannot help).
 */
export async function waitFor(what, check, timeoutMs = 60_000, everyMs = 20) {
  const deadline = Date.now() + timeoutMs;
  let lastError = null;
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value) return value;
    } catch (error) {
      if (error?.fatal) throw error;
      lastError = error;
    }
    await sleep(everyMs);
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${lastError ? ` (last error: ${lastError.message})` : ''}`);
}

/**
 * A port free on 127.0.0.1 right now, below the kernel's ephemeral range where there is one, as
 * lb-dev picks its own (src/adapters/ports.ts): ports bound only later are less likely to be taken
 * meanwhile. (Loaded from dist/ when first used, so that a missing build is reported by main.mjs.)
 */
export async function freePort() {
  const [{ default: getPort }, { ephemeralStart, portCandidates }] = await Promise.all([import('get-port'), import('../../../dist/adapters/ports.js')]);
  return getPort({ host: '127.0.0.1', port: portCandidates(await ephemeralStart()) });
}

/** Resolves true once something accepts connections on the port. */
export function accepts(port) {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

const PORT_TAKEN = /address already in use|EADDRINUSE|PORT_IN_USE/;

/**
 * Runs `start` again, up to `attempts` times in all, when it failed because a port found free by
 * freePort() was taken by another process before it was bound (nothing can reserve it between
 * the two). `start` must stop whatever it started before it throws.
 */
export async function retryIfPortTaken(what, start, attempts = 3) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await start();
    } catch (error) {
      if (attempt >= attempts || !PORT_TAKEN.test(String(error?.message))) throw error;
      console.log(`  ${what}: a port found free was taken before it was bound (attempt ${attempt} of ${attempts}); starting again on new ports`);
    }
  }
}

/** The value at quantile q (0..1) of the numbers, nearest rank; null when empty. */
export function quantile(values, q) {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

export const round = (v, digits = 1) => (v === null || v === undefined ? null : Math.round(v * 10 ** digits) / 10 ** digits);

/** { n, p50, p95, max } rounded to 0.1. */
export function summary(values) {
  return { n: values.length, p50: round(quantile(values, 0.5)), p95: round(quantile(values, 0.95)), max: round(values.length ? Math.max(...values) : null) };
}

export const median = (values) => quantile(values, 0.5);
