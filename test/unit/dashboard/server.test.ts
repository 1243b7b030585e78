// The dashboard's HTTP boundary on a real socket: what is refused, with which status and code.
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { LbDevError } from '../../../src/core/errors.js';
import { checkFields } from '../../../src/dashboard/guard.js';
import { DashboardServer } from '../../../src/dashboard/server.js';
import { freePort } from '../../helpers/http.js';

const TOKEN = 'test-token-123';
let port: number;
let server: DashboardServer;

interface Answer {
  status: number;
  headers: Record<string, unknown>;
  body: string;
}

function send(method: string, path: string, opts: { headers?: Record<string, string>; body?: string | Buffer } = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method, path, headers: { host: `127.0.0.1:${port}`, ...opts.headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end(opts.body);
  });
}

const json = { 'content-type': 'application/json', 'x-lb-dev-token': TOKEN };
const code = (answer: Answer) => (JSON.parse(answer.body) as { error: { code: string } }).error.code;

before(async () => {
  port = await freePort();
  server = new DashboardServer({ port, token: TOKEN });
  server.route('/api/echo', {
    method: 'POST',
    auth: 'token',
    handle: async ({ body }) => {
      checkFields('POST /api/echo', body, { name: 'string' });
      return { body };
    },
  });
  server.route('/api/usage', {
    method: 'POST',
    auth: 'token',
    handle: async () => {
      throw new LbDevError('USAGE', 'expected something else');
    },
  });
  server.route('/api/bug', {
    method: 'GET',
    auth: 'token',
    handle: async () => {
      throw new TypeError('x is undefined');
    },
  });
  server.route('/metrics', {
    method: 'GET',
    auth: 'none',
    handle: async ({ res }) => {
      res.writeHead(200, { 'content-type': 'text/plain' }).end('up 1\n');
    },
  });
  await server.listen();
});

after(() => server.close());

describe('dashboard server', () => {
  it('serves the page with a CSP that allows only its own files', async () => {
    const page = await send('GET', '/?token=whatever');
    assert.equal(page.status, 200);
    assert.match(page.body, /<script type="module" src="app.js">/);
    assert.match(String(page.headers['content-security-policy']), /default-src 'self'/);
    assert.equal((await send('GET', '/app.js')).status, 200);
  });

  it('answers an action with the token and a valid body', async () => {
    const answer = await send('POST', '/api/echo', { headers: json, body: '{"name":"app-1"}' });
    assert.equal(answer.status, 200);
    assert.deepEqual(JSON.parse(answer.body), { body: { name: 'app-1' } });
  });

  const refusals: Array<[string, () => Promise<Answer>, number, string]> = [
    ['no token', () => send('POST', '/api/echo', { headers: { 'content-type': 'application/json' }, body: '{}' }), 403, 'DASHBOARD_FORBIDDEN'],
    ['a wrong token', () => send('POST', '/api/echo', { headers: { ...json, 'x-lb-dev-token': 'nope' }, body: '{}' }), 403, 'DASHBOARD_FORBIDDEN'],
    [
      'the token only in the query of a POST',
      () => send('POST', `/api/echo?token=${TOKEN}`, { headers: { 'content-type': 'application/json' }, body: '{}' }),
      403,
      'DASHBOARD_FORBIDDEN',
    ],
    [
      'another Host (DNS rebinding)',
      () => send('POST', '/api/echo', { headers: { ...json, host: `attacker.example:${port}` }, body: '{}' }),
      403,
      'DASHBOARD_FORBIDDEN',
    ],
    [
      'another Origin (a page elsewhere)',
      () => send('POST', '/api/echo', { headers: { ...json, origin: 'http://evil.example' }, body: '{}' }),
      403,
      'DASHBOARD_FORBIDDEN',
    ],
    ['an unknown path', () => send('GET', '/api/nothing', { headers: json }), 404, 'DASHBOARD_BAD_REQUEST'],
    ['a wrong method', () => send('GET', '/api/echo', { headers: json }), 405, 'DASHBOARD_BAD_REQUEST'],
    ['a body over 16 KiB', () => send('POST', '/api/echo', { headers: json, body: `{"name":"${'x'.repeat(20_000)}"}` }), 413, 'DASHBOARD_BAD_REQUEST'],
    [
      'a body that is not JSON',
      () => send('POST', '/api/echo', { headers: { ...json, 'content-type': 'text/plain' }, body: 'hi' }),
      415,
      'DASHBOARD_BAD_REQUEST',
    ],
    ['invalid JSON', () => send('POST', '/api/echo', { headers: json, body: '{"name":' }), 400, 'DASHBOARD_BAD_REQUEST'],
    ['a JSON array', () => send('POST', '/api/echo', { headers: json, body: '[1]' }), 400, 'DASHBOARD_BAD_REQUEST'],
    ['an unknown field', () => send('POST', '/api/echo', { headers: json, body: '{"nmae":"x"}' }), 400, 'DASHBOARD_BAD_REQUEST'],
    ['a field of the wrong type', () => send('POST', '/api/echo', { headers: json, body: '{"name":3}' }), 400, 'DASHBOARD_BAD_REQUEST'],
    ['a usage error from the operation', () => send('POST', '/api/usage', { headers: json, body: '{}' }), 400, 'USAGE'],
    ['a bug in a route (no stack trace)', () => send('GET', '/api/bug', { headers: json }), 500, 'INTERNAL'],
  ];
  for (const [what, call, status, expected] of refusals) {
    it(`refuses ${what}: ${status} ${expected}`, async () => {
      const answer = await call();
      assert.equal(answer.status, status, answer.body);
      assert.equal(code(answer), expected);
      assert.doesNotMatch(answer.body, /\n\s+at /, 'no stack trace');
    });
  }

  it('serves an added route without the token (e.g. /metrics), still only to its own Host', async () => {
    const metrics = await send('GET', '/metrics');
    assert.equal(metrics.status, 200);
    assert.equal(metrics.body, 'up 1\n');
    assert.equal((await send('GET', '/metrics', { headers: { host: `rebound.example:${port}` } })).status, 403);
  });

  it("takes the metrics endpoint's Hosts (one check, core/text/loopback-host.ts): [::1] too; a refusal names them all", async () => {
    for (const host of [`[::1]:${port}`, `LOCALHOST:${port}`]) assert.equal((await send('GET', '/metrics', { headers: { host } })).status, 200, host);
    const refused = await send('GET', '/metrics', { headers: { host: `localhost:${port + 1}` } });
    assert.equal(refused.status, 403);
    assert.equal(
      (JSON.parse(refused.body) as { error: { message: string } }).error.message,
      `expected the Host header to be one of 127.0.0.1:${port}, localhost:${port}, [::1]:${port}, got "localhost:${port + 1}"`,
    );
  });

  it('refuses a second server on the same port with PORT_IN_USE', async () => {
    const second = new DashboardServer({ port, token: TOKEN });
    await assert.rejects(second.listen(), (error: LbDevError) => error.code === 'PORT_IN_USE');
  });
});
