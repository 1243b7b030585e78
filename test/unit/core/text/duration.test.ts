import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MAX_DURATION_MS, fitsTimer, formatDuration, formatElapsed, goDuration, parseDuration } from '../../../../src/core/text/duration.js';
import { formatSize, parseSize } from '../../../../src/core/text/size.js';

describe('parseDuration', () => {
  const good: Array<[string | number, number]> = [
    ['250ms', 250],
    ['5s', 5_000],
    ['1.5s', 1_500],
    ['2m', 120_000],
    ['1h', 3_600_000],
    ['1m30s', 90_000],
    ['1h2m3s', 3_723_000],
    ['0', 0],
    ['0s', 0],
    ['500', 500],
    [' 5s ', 5_000],
    ['.5s', 500],
    ['1s500ms', 1_500],
    [0, 0],
    [750, 750],
    [1.4, 1],
  ];
  for (const [input, expected] of good) {
    it(`reads ${JSON.stringify(input)} as ${expected}ms`, () => assert.equal(parseDuration(input), expected));
  }

  const bad: Array<string | number> = ['', 'abc', '5 s', '5sec', '1.s', 's', '-1s', '5S', '1m30', 'ms', -5, Number.NaN, Number.POSITIVE_INFINITY];
  for (const input of bad) {
    it(`rejects ${typeof input === 'string' ? JSON.stringify(input) : String(input)}, saying what it expected and got`, () => {
      assert.throws(
        () => parseDuration(input),
        (error: Error) => {
          assert.match(error.message, /^expected a duration like 250ms, 5s/);
          assert.match(error.message, /got /);
          return true;
        },
      );
    });
  }
});

describe('formatDuration', () => {
  const cases: Array<[number, string]> = [
    [0, '0ms'],
    [250, '250ms'],
    [999, '999ms'],
    [1_000, '1s'],
    [1_500, '1.5s'],
    [1_234, '1.234s'],
    [60_000, '1m'],
    [125_000, '2m5s'],
    [90_500, '1m30.5s'],
    [3_600_000, '1h'],
    [5_400_000, '1h30m'],
    [3_723_000, '1h2m3s'],
    [-1_500, '-1.5s'],
    [0.4, '0ms'],
  ];
  for (const [ms, expected] of cases) {
    it(`formats ${ms} as ${expected}`, () => assert.equal(formatDuration(ms), expected));
  }

  it('round-trips through parseDuration', () => {
    for (const ms of [0, 1, 50, 999, 1_000, 1_001, 59_999, 60_000, 61_001, 3_599_999, 3_600_000, 86_400_123]) {
      assert.equal(parseDuration(formatDuration(ms)), ms, `round trip of ${ms}`);
    }
  });

  it('rejects non-finite numbers', () => assert.throws(() => formatDuration(Number.NaN), /expected a finite number of milliseconds, got NaN/));
});

describe('goDuration', () => {
  // Go's time.ParseDuration reads `1.5s` as 1500ms and `2m` as 120s: the shortest form is as good as any.
  const cases: Array<[number, string]> = [
    [0, '0s'],
    [50, '50ms'],
    [250, '250ms'],
    [1_000, '1s'],
    [1_500, '1.5s'],
    [2_000, '2s'],
    [90_000, '1m30s'],
    [100, '100ms'],
    [120_000, '2m'],
    [3_600_000, '1h'],
  ];
  for (const [ms, expected] of cases) {
    it(`renders ${ms}ms as ${expected}`, () => assert.equal(goDuration(ms), expected));
  }
  it('always carries a unit (Traefik reads a bare number as seconds)', () => {
    for (const ms of [0, 1, 999, 1000, 61_000]) assert.match(goDuration(ms), /(ms|s|m|h)$/);
  });
  it('rejects negative durations', () => assert.throws(() => goDuration(-1), /expected a non-negative number of milliseconds, got -1/));
});

describe('formatElapsed', () => {
  const cases: Array<[number, string, string]> = [
    // ms, with tenths, whole seconds
    [0, '0.0s', '0s'],
    [-500, '0.0s', '0s'],
    [2_100, '2.1s', '2s'],
    [4_000, '4.0s', '4s'],
    [12_000, '12.0s', '12s'],
    [59_940, '59.9s', '1m00s'],
    [59_960, '1m00s', '1m00s'],
    [65_000, '1m05s', '1m05s'],
    [3_599_000, '59m59s', '59m59s'],
    [3_600_000, '1h00m', '1h00m'],
    [7_380_000, '2h03m', '2h03m'],
  ];
  for (const [ms, tenths, whole] of cases) {
    it(`formats ${ms} as ${tenths} (${whole} in whole seconds)`, () => {
      assert.equal(formatElapsed(ms), tenths);
      assert.equal(formatElapsed(ms, { wholeSeconds: true }), whole);
    });
  }
  it('rejects non-finite numbers', () => assert.throws(() => formatElapsed(Number.POSITIVE_INFINITY), /expected a finite number/));
});

describe('parseSize', () => {
  const good: Array<[string | number, number]> = [
    ['10MB', 10_000_000],
    ['512KB', 512_000],
    ['1GiB', 1024 ** 3],
    ['1MiB', 1024 ** 2],
    ['512KiB', 512 * 1024],
    ['100B', 100],
    ['1024', 1024],
    [2048, 2048],
    ['1.5MB', 1_500_000],
    ['10mb', 10_000_000],
    ['10 MB', 10_000_000],
    ['1TB', 1e12],
  ];
  for (const [input, expected] of good) {
    it(`reads ${JSON.stringify(input)} as ${expected} bytes`, () => assert.equal(parseSize(input), expected));
  }
  for (const input of ['', 'ten MB', '10XB', 'MB', '-1MB', -1]) {
    it(`rejects ${JSON.stringify(input)}`, () =>
      assert.throws(() => parseSize(input), /^Error: expected a size like 512KB, 10MB or 1GiB \(or a number of bytes\), got /));
  }
});

describe('formatSize', () => {
  const cases: Array<[number, string]> = [
    [0, '0B'],
    [100, '100B'],
    [1000, '1KB'],
    [1024, '1KiB'],
    [10_000_000, '10MB'],
    [10 * 1024 ** 2, '10MiB'],
    [1024 ** 3, '1GiB'],
    [1500, '1500B'],
  ];
  for (const [bytes, expected] of cases) {
    it(`formats ${bytes} as ${expected}`, () => assert.equal(formatSize(bytes), expected));
  }
  it('round-trips through parseSize', () => {
    for (const bytes of [0, 1, 999, 1000, 1024, 123_456, 10_000_000, 10 * 1024 ** 2]) assert.equal(parseSize(formatSize(bytes)), bytes);
  });
});

describe('fitsTimer: a delay setTimeout waits for as given', () => {
  it('takes 0 to 2^31-1 ms, and a minimum', () => {
    assert.deepEqual(
      [0, 1, MAX_DURATION_MS].map((ms) => fitsTimer(ms)),
      [true, true, true],
    );
    assert.deepEqual(
      [99, 100].map((ms) => fitsTimer(ms, 100)),
      [false, true],
    );
  });
  it('refuses what Node would fire after 1 ms, and what is not a number', () => {
    for (const value of [MAX_DURATION_MS + 1, 2 ** 31 + 1, 1e308, Number.POSITIVE_INFINITY, Number.NaN, -1, '5', null]) {
      assert.equal(fitsTimer(value), false, String(value));
    }
  });
});
