// The metrics endpoint's own listener, with raw HTTP requests: the exposition only for a Host
// that is loopback (or the bound host, or a name given for a known scraper) with its own port;
// 403 with what was expected for any other Host (DNS rebinding) or none.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Counter, Registry } from 'prom-client';
import { MetricsServer, metricsRequestHandler } from '../../../src/adapters/metrics-server.js';
import { freePort, rawHttp } from '../../helpers/http.js';

let port: number;
let server: MetricsServer;

before(async () => {
  const registry = new Registry();
  new Counter({ name: 'lb_dev_test_total', help: 'a series to find', registers: [registry] });
  port = await freePort();
  server = new MetricsServer(metricsRequestHandler(registry), '127.0.0.1', port, ['host.docker.internal']);
  await server.listen();
});
after(() => server.close());

test('a loopback Host with the right port, the bound host or a given name gets the exposition', async () => {
  for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `LOCALHOST:${port}`, `[::1]:${port}`, `host.docker.internal:${port}`]) {
    const answer = await rawHttp(port, `GET /metrics HTTP/1.1\r\nHost: ${host}`);
    assert.equal(answer.status, 200, `Host ${host}: ${answer.text}`);
    assert.match(answer.text, /# HELP lb_dev_test_total a series to find/);
  }
});

test('any other Host, a wrong port, or no Host: 403 saying what was expected, and no metrics', async () => {
  const refused = [
    `attacker.example:${port}`,
    `rebound.127.0.0.1.nip.io:${port}`,
    `127.0.0.1:${port + 1}`,
    `localhost:${port}0`,
    '127.0.0.1',
    'localhost',
    `localhost.:${port}`,
    `127.0.0.2:${port}`,
    `0.0.0.0:${port}`,
    `user@127.0.0.1:${port}`,
  ];
  for (const host of refused) {
    const answer = await rawHttp(port, `GET /metrics HTTP/1.1\r\nHost: ${host}`);
    assert.equal(answer.status, 403, `Host ${host}: ${answer.text}`);
    assert.ok(answer.text.includes(`expected the Host header to be one of 127.0.0.1:${port}, localhost:${port}, [::1]:${port}`), answer.text);
    assert.ok(answer.text.includes(`got ${JSON.stringify(host)}`), answer.text);
    assert.doesNotMatch(answer.text, /lb_dev_test_total/);
  }
  const none = await rawHttp(port, 'GET /metrics HTTP/1.0');
  assert.equal(none.status, 403, none.text);
  assert.match(none.text, /got none\n$/);
});
