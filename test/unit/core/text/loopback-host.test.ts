import assert from 'node:assert/strict';
import { test } from 'node:test';
import { allowedHosts, hostRefusal } from '../../../../src/core/text/loopback-host.js';

test('allowedHosts: the loopback names and addresses with the port, and the extra hosts (an IPv6 one in brackets)', () => {
  assert.deepEqual([...allowedHosts(8079)], ['127.0.0.1:8079', 'localhost:8079', '[::1]:8079']);
  assert.deepEqual(
    [...allowedHosts(9100, ['127.0.0.1', 'Host.Docker.Internal', '::1', 'fe80::1'])],
    ['127.0.0.1:9100', 'localhost:9100', '[::1]:9100', 'host.docker.internal:9100', '[fe80::1]:9100'],
  );
});

test('hostRefusal: null for an accepted Host (any case); else what was expected and what was given, shortened', () => {
  const hosts = allowedHosts(8079);
  for (const host of ['127.0.0.1:8079', 'localhost:8079', 'LocalHost:8079', '[::1]:8079']) assert.equal(hostRefusal(host, hosts), null, host);
  const expected = 'expected the Host header to be one of 127.0.0.1:8079, localhost:8079, [::1]:8079, got ';
  const table: Array<[string | undefined, string]> = [
    ['evil.example:8079', '"evil.example:8079"'],
    ['127.0.0.1:8080', '"127.0.0.1:8080"'],
    ['localhost', '"localhost"'],
    ['::1:8079', '"::1:8079"'],
    ['', '""'],
    [undefined, 'none'],
    ['x'.repeat(200), `"${'x'.repeat(80)}…"`],
  ];
  for (const [host, given] of table) assert.equal(hostRefusal(host, hosts), `${expected}${given}`, String(host).slice(0, 20));
});
