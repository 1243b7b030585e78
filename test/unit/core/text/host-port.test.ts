import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LbDevError } from '../../../../src/core/errors.js';
import { hostForUrl, hostPort } from '../../../../src/core/text/host-port.js';

describe('hostForUrl', () => {
  const cases: Array<[string, string]> = [
    ['127.0.0.1', '127.0.0.1'],
    ['localhost', 'localhost'],
    ['host.docker.internal', 'host.docker.internal'],
    ['::1', '[::1]'],
    ['fe80::1%eth0', '[fe80::1%eth0]'],
    ['[::1]', '[::1]'],
  ];
  for (const [host, expected] of cases) it(`${host} -> ${expected}`, () => assert.equal(hostForUrl(host), expected));
});

describe('hostPort', () => {
  it('joins host and port, bracketing IPv6', () => {
    assert.equal(hostPort('127.0.0.1', 3000, 'x'), '127.0.0.1:3000');
    assert.equal(hostPort('::', 8080, 'x'), '[::]:8080');
  });
  for (const bad of [0, 65536, 1.5, Number.NaN]) {
    it(`rejects port ${bad}, naming the caller's value`, () => {
      assert.throws(
        () => hostPort('127.0.0.1', bad, 'listen address'),
        (e: unknown) => e instanceof LbDevError && e.message === `listen address: expected a port 1..65535, got ${bad}`,
      );
    });
  }
});
