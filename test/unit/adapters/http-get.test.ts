import assert from 'node:assert/strict';
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Agent } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { httpGet } from '../../../src/adapters/http-get.js';

describe('httpGet', () => {
  let server: Server;
  let other: Server;
  let base = '';
  let otherBase = '';
  const connections = new Set<unknown>();

  before(async () => {
    other = createServer((_req, res) => res.end('elsewhere'));
    server = createServer((req, res) => {
      if (req.url === '/moved') return void res.writeHead(302, { location: '/target' }).end();
      if (req.url === '/away') return void res.writeHead(302, { location: `${otherBase}/` }).end();
      if (req.url === '/target') return void res.end('arrived');
      if (req.url === '/stream') return void res.writeHead(200, { 'content-type': 'text/event-stream' }).write('data: 1\n\n');
      if (req.url === '/silent') return; // never answers
      if (req.url === '/big') return void res.end('x'.repeat(10_000));
      res.end(JSON.stringify({ headers: req.headers }));
    });
    server.on('connection', (socket) => connections.add(socket));
    await Promise.all([new Promise<void>((r) => server.listen(0, '127.0.0.1', r)), new Promise<void>((r) => other.listen(0, '127.0.0.1', r))]);
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    otherBase = `http://127.0.0.1:${(other.address() as AddressInfo).port}`;
  });
  after(() => {
    server.closeAllConnections();
    server.close();
    other.close();
  });

  it('answers with status, body and headers, and sends the given headers', async () => {
    const answer = await httpGet(`${base}/`, { timeoutMs: 2_000, headers: { 'x-probe': '1' } });
    assert.equal(answer.status, 200);
    assert.equal(JSON.parse(answer.body).headers['x-probe'], '1');
    assert.equal(JSON.parse(answer.body).headers.connection, 'close');
  });

  it('follows same-origin redirects only when asked, never to another origin', async () => {
    assert.equal((await httpGet(`${base}/moved`, { timeoutMs: 2_000 })).status, 302);
    assert.equal((await httpGet(`${base}/moved`, { timeoutMs: 2_000, redirects: 1 })).body, 'arrived');
    assert.equal((await httpGet(`${base}/away`, { timeoutMs: 2_000, redirects: 3 })).status, 302);
  });

  it('with maxBodyBytes 0 answers at the status line of a response that never ends', async () => {
    const answer = await httpGet(`${base}/stream`, { timeoutMs: 2_000, maxBodyBytes: 0 });
    assert.deepEqual([answer.status, answer.body], [200, '']);
  });

  it('keeps at most maxBodyBytes of the body', async () => {
    assert.equal((await httpGet(`${base}/big`, { timeoutMs: 2_000, maxBodyBytes: 100 })).body.length, 100);
  });

  it('rejects with the reason: no answer in time, a refused connection', async () => {
    await assert.rejects(httpGet(`${base}/silent`, { timeoutMs: 150 }), /no answer within 150ms/);
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));
    await assert.rejects(httpGet(`http://127.0.0.1:${port}/`, { timeoutMs: 2_000 }), /ECONNREFUSED/);
  });

  it('reuses one connection through a keep-alive agent', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const before = connections.size;
    for (let i = 0; i < 5; i++) assert.equal((await httpGet(`${base}/`, { timeoutMs: 2_000, agent })).status, 200);
    assert.equal(connections.size - before, 1);
    agent.destroy();
  });
});
