import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { LbDevError } from '../../../../src/core/errors.js';
import { resolveConfig } from '../../../../src/core/config/schema.js';

const resolve = (raw: unknown) => resolveConfig(raw, { source: null, overrides: {}, cwd: '/p', demoCommand: 'demo' });

test('dashboard.port: 8079 by default, a port, or false for none', () => {
  assert.equal(resolve({}).dashboard.port, 8079);
  assert.equal(resolve({ dashboard: { port: 9123 } }).dashboard.port, 9123);
  assert.equal(resolve({ dashboard: { port: false } }).dashboard.port, null);
});

for (const [raw, expected] of [
  [{ dashboard: { port: 3000 } }, /dashboard\.port.*expected a port other than the balancer's \(3000\) and Traefik's API \(8080\), got 3000/],
  [{ traefik: { apiPort: 9000 }, dashboard: { port: 9000 } }, /dashboard\.port.*got 9000/],
  [{ dashboard: { port: 'yes' } }, /dashboard\.port.*a port number from 1 to 65535, or false/],
] as const) {
  test(`dashboard.port refuses ${JSON.stringify(raw)}`, () => {
    assert.throws(
      () => resolve(raw),
      (error: LbDevError) => error.code === 'CONFIG_INVALID' && expected.test([error.message, ...error.details].join('\n')),
    );
  });
}
