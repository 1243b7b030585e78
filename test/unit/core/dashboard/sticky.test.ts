import assert from 'node:assert/strict';
import { test } from 'node:test';
import { traefikStickyValue } from '../../../../src/adapters/traefik/sticky-value.js';
import { cookieValue, serverForCookie } from '../../../../src/core/dashboard/sticky.js';

test('traefikStickyValue matches a cookie Traefik v3.6 set (Set-Cookie: lb-dev-server=99825f727b4485fb)', () => {
  assert.equal(traefikStickyValue('http://127.0.0.1:42659'), '99825f727b4485fb');
});

test('serverForCookie matches the hash or the plain URL, else null', () => {
  const servers = [
    { name: 'app-1', url: 'http://127.0.0.1:4001' },
    { name: 'app-2', url: 'http://127.0.0.1:4002' },
  ];
  assert.equal(serverForCookie(traefikStickyValue('http://127.0.0.1:4002'), servers, traefikStickyValue)?.name, 'app-2');
  assert.equal(serverForCookie('http://127.0.0.1:4001/', servers, traefikStickyValue)?.name, 'app-1');
  assert.equal(serverForCookie('deadbeef', servers, traefikStickyValue), null);
});

test('cookieValue finds one cookie in a Cookie header', () => {
  assert.equal(cookieValue('a=1; lb-dev-server=abc%20d; b=2', 'lb-dev-server'), 'abc d');
  assert.equal(cookieValue('a=1', 'lb-dev-server'), null);
  assert.equal(cookieValue(undefined, 'x'), null);
  assert.equal(cookieValue('x=%E0%A4%A', 'x'), '%E0%A4%A');
});
