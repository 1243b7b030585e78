// Seeded fuzz of the Host check (core/text/loopback-host.ts) through both servers that use it,
// with raw HTTP on real sockets: random Host headers - right and wrong ports, look-alike names
// and addresses, case, spaces, user info, IPv6 forms, duplicates, control and non-ASCII bytes -
// against the metrics endpoint (GET /metrics) and the dashboard (GET /api/state with the token).
// Only a loopback name or address with the server's own port (or a name the server was given)
// gets through; everything else is 403 with the expected hosts, or 400 from Node's parser for
// bytes a header may not hold; never a 200, a 500, a crash or a hang. Replay with LB_DEV_FUZZ_SEED.
import assert from 'node:assert/strict';
import { createConnection } from 'node:net';
import { after, before, test } from 'node:test';
import { Counter, Registry } from 'prom-client';
import { MetricsServer, metricsRequestHandler } from '../../../src/adapters/metrics-server.js';
import { DashboardServer } from '../../../src/dashboard/server.js';
import { FUZZ_SEED, type Picker, Tally, picker } from '../../helpers/fuzz.js';
import { freePort } from '../../helpers/http.js';

const CASES = 400;
const PARALLEL = 8;
const TOKEN = 'fuzz-token';
let metricsPort: number;
let dashboardPort: number;
let metrics: MetricsServer;
let dashboard: DashboardServer;

before(async () => {
  const registry = new Registry();
  new Counter({ name: 'lb_dev_fuzz_total', help: 'fuzz', registers: [registry] });
  metricsPort = await freePort();
  dashboardPort = await freePort('127.0.0.1', [metricsPort]);
  metrics = new MetricsServer(metricsRequestHandler(registry), '127.0.0.1', metricsPort, ['host.docker.internal']);
  await metrics.listen();
  dashboard = new DashboardServer({ port: dashboardPort, token: TOKEN });
  dashboard.route('/api/state', { method: 'GET', auth: 'token', handle: async () => ({ state: 'fuzzed' }) });
  await dashboard.listen();
});
after(async () => {
  await metrics.close();
  await dashboard.close();
});

/** One Host value (or several, for duplicate headers), right or wrong for `port`. */
function hostValues(p: Picker, port: number): string[] {
  const ports = [String(port), String(port + 1), String(port - 1), `0${port}`, `${port}0`, '', '80', '0', '65536', `${port} `, `+${port}`];
  const names = [
    '127.0.0.1',
    'localhost',
    '[::1]',
    'host.docker.internal',
    'LOCALHOST',
    'LocalHost',
    'Host.Docker.Internal',
    'localhost.',
    '127.0.0.1.',
    '127.1',
    '127.0.0.2',
    '0177.0.0.1',
    '2130706433',
    '0.0.0.0',
    '::1',
    '[::1',
    '[0:0:0:0:0:0:0:1]',
    '[::ffff:127.0.0.1]',
    'localhost.localdomain',
    'evil.example',
    'localhost.evil.example',
    '127.0.0.1.nip.io',
    'a@127.0.0.1',
    '127.0.0.1/x',
    'xn--localhost',
    'ⅼocalhost',
    'localhost\u00e9',
    '',
  ];
  const one = (): string => {
    const roll = p.int(10);
    if (roll === 0) {
      // Random bytes, control characters among them (not CR or LF: those would end the header).
      const alphabet = 'abcxyz0123456789.:[]@/-_ \t\u0001\u007f\u00ff';
      return Array.from({ length: p.int(30) }, () => alphabet[p.int(alphabet.length)]).join('');
    }
    const name = p.pick(names);
    const value = p.chance(0.85) ? `${name}:${p.chance(0.6) ? port : p.pick(ports)}` : name;
    return p.chance(0.15) ? `${p.pick([' ', '\t', '  '])}${value}${p.pick(['', ' ', '\t'])}` : value;
  };
  return Array.from({ length: p.chance(0.08) ? 2 : 1 }, one);
}

/** What the oracle expects: Node reads the first Host, trims spaces and tabs, and refuses control bytes. */
function expected(values: readonly string[], accepted: ReadonlySet<string>): 'pass' | 'refuse' | 'bad header' {
  if (values.some((v) => /[\u0000-\u0008\u000a-\u001f\u007f]/.test(v))) return 'bad header';
  return accepted.has(values[0]!.replace(/^[ \t]+|[ \t]+$/g, '').toLowerCase()) ? 'pass' : 'refuse';
}

function send(port: number, path: string, values: readonly string[], headers: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    let text = '';
    socket.setEncoding('latin1');
    socket.on('data', (c: string) => {
      text += c;
    });
    socket.on('error', () => undefined);
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no answer within 5 s for Host ${JSON.stringify(values)}`));
    }, 5_000);
    socket.on('close', () => {
      clearTimeout(timer);
      resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0), text });
    });
    const hostLines = values.map((v) => `Host: ${v}\r\n`).join('');
    socket.write(Buffer.from(`GET ${path} HTTP/1.1\r\n${hostLines}${headers}Connection: close\r\n\r\n`, 'latin1'));
  });
}

test(`random Host headers: only a loopback name with the right port gets metrics or the dashboard (seed ${FUZZ_SEED})`, async (t) => {
  const p = picker(FUZZ_SEED);
  const targets = [
    { name: 'metrics', port: () => metricsPort, path: '/metrics', headers: '', extra: ['host.docker.internal'], body: /lb_dev_fuzz_total/ },
    { name: 'dashboard', port: () => dashboardPort, path: '/api/state', headers: `X-Lb-Dev-Token: ${TOKEN}\r\n`, extra: [], body: /"state":"fuzzed"/ },
  ];
  const cases = Array.from({ length: CASES }, () => {
    const target = p.pick(targets);
    return { target, values: hostValues(p, target.port()) };
  });
  const tally = new Tally();
  let next = 0;
  await Promise.all(
    Array.from({ length: PARALLEL }, async () => {
      while (next < cases.length) {
        const { target, values } = cases[next++]!;
        const port = target.port();
        const accepted = new Set([`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`, ...target.extra.map((h) => `${h}:${port}`)]);
        const want = expected(values, accepted);
        const answer = await send(port, target.path, values, target.headers);
        const what = `${target.name} Host ${JSON.stringify(values)} (LB_DEV_FUZZ_SEED=${FUZZ_SEED}): expected ${want}, got ${answer.text.slice(0, 300)}`;
        if (want === 'pass') {
          assert.equal(answer.status, 200, what);
          assert.match(answer.text, target.body, what);
        } else {
          assert.equal(answer.status, want === 'bad header' ? 400 : 403, what);
          assert.doesNotMatch(answer.text, target.body, what);
          if (want === 'refuse') assert.match(answer.text, /expected the Host header to be one of /, what);
        }
        tally.add(`${target.name} ${want}`);
      }
    }),
  );
  // Both servers still answer.
  assert.equal((await send(metricsPort, '/metrics', [`localhost:${metricsPort}`], '')).status, 200);
  assert.equal((await send(dashboardPort, '/api/state', [`127.0.0.1:${dashboardPort}`], `X-Lb-Dev-Token: ${TOKEN}\r\n`)).status, 200);
  const report = `Host fuzz (seed ${FUZZ_SEED}): ${tally.total} requests: ${tally}`;
  t.diagnostic(report);
  console.log(`[fuzz] ${report}`);
});
