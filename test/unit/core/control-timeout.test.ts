import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_CONTROL_TIMEOUT_MS, parseControlTimeout } from '../../../src/core/control-timeout.js';
import { isLbDevError } from '../../../src/core/errors.js';

test('LB_DEV_CONTROL_TIMEOUT: unset or empty is 10 s; whole milliseconds from 100 to 2^31-1 are taken as given', () => {
  assert.equal(DEFAULT_CONTROL_TIMEOUT_MS, 10_000);
  const table: Array<[string | undefined, number]> = [
    [undefined, 10_000],
    ['', 10_000],
    ['  ', 10_000],
    ['100', 100],
    ['30000', 30_000],
    [' 2500 ', 2_500],
    ['2147483647', 2_147_483_647],
    ['000500', 500],
    ['0000000000000000001195', 1_195],
  ];
  for (const [raw, ms] of table) assert.equal(parseControlTimeout(raw), ms, JSON.stringify(raw));
});

test('anything else is USAGE naming the variable, the value and what is accepted', () => {
  for (const raw of ['99', '0', '-1', '1.5', '10s', '1e4', '0x10', 'abc', '2147483648', '9'.repeat(400), 'NaN', 'Infinity', '1_000']) {
    assert.throws(
      () => parseControlTimeout(raw),
      (error: unknown) =>
        isLbDevError(error) &&
        error.code === 'USAGE' &&
        error.message.startsWith('LB_DEV_CONTROL_TIMEOUT: expected a whole number of milliseconds from 100 to 2147483647 (e.g. 30000 for 30 s), got "') &&
        error.message.length < 200,
      raw.slice(0, 20),
    );
  }
});
