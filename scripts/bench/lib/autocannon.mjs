// autocannon (the HTTP load generator the figures came from), for the throughput
// scenario only: installed into a cache dir once with `npm install --prefix`, like PM2 (never a
// project dependency), and run as its own process (`-j`: one JSON summary), so the generator
// does not share an event loop with the bench that also polls the setups.
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

const PREFIX = join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'lb-dev', 'bench', 'autocannon');
const BIN = join(PREFIX, 'node_modules', 'autocannon', 'autocannon.js');

/** Installs autocannon@8 into the cache dir once; returns its version. */
export function ensureAutocannon() {
  if (!existsSync(BIN)) {
    execFileSync('npm', ['install', '--prefix', PREFIX, '--no-audit', '--no-fund', 'autocannon@8'], { stdio: ['ignore', 'ignore', 'inherit'] });
  }
  return JSON.parse(readFileSync(join(PREFIX, 'node_modules', 'autocannon', 'package.json'), 'utf8')).version;
}

/**
 * `connections` keep-alive clients on `url` for `seconds`; resolves { rps, p50, p99, sent,
 * errors } (errors: non-2xx answers, timeouts and socket errors). 127.0.0.1 only.
 */
export function autocannon({ url, connections, seconds }) {
  if (!url.startsWith('http://127.0.0.1:')) throw new Error(`autocannon: loopback only, got ${url}`);
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [BIN, '-j', '-c', String(connections), '-d', String(seconds), url],
      { encoding: 'utf8', maxBuffer: 16 << 20 },
      (error, stdout, stderr) => {
        if (error) return reject(new Error(`autocannon ${url}: ${stderr || error.message}`));
        const r = JSON.parse(stdout);
        resolve({
          rps: r.requests.average,
          p50: r.latency.p50,
          p99: r.latency.p99,
          sent: r.requests.total,
          errors: r.errors + r.timeouts + r.non2xx,
        });
      },
    );
  });
}
