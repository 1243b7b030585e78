import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cookieValue, serverForCookie, stickyCookieValue } from '../../../../src/core/dashboard/sticky.js';

test('stickyCookieValue is 64-bit FNV-1 in hex (reference values of the algorithm)', () => {
  assert.equal(stickyCookieValue(''), 'cbf29ce484222325');
  assert.equal(stickyCookieValue('a'), 'af63bd4c8601b7be');
});

test('serverForCookie matches the hash or the plain URL, else null', () => {
  const servers = [{ name: 'app-1', url: 'http://127.0.0.1:4001' }, { name: 'app-2', url: 'http://127.0.0.1:4002' }];
  assert.equal(serverForCookie(stickyCookieValue('http://127.0.0.1:4002'), servers)?.name, 'app-2');
  assert.equal(serverForCookie('http://127.0.0.1:4001/', servers)?.name, 'app-1');
  assert.equal(serverForCookie('deadbeef', servers), null);
});

test('cookieValue finds one cookie in a Cookie header', () => {
  assert.equal(cookieValue('a=1; lb-dev-server=abc%20d; b=2', 'lb-dev-server'), 'abc d');
  assert.equal(cookieValue('a=1', 'lb-dev-server'), null);
  assert.equal(cookieValue(undefined, 'x'), null);
  assert.equal(cookieValue('x=%E0%A4%A', 'x'), '%E0%A4%A');
});
