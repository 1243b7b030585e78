import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { durationFlag, traefikMode } from '../../../src/cli/options.js';
import { LbDevError } from '../../../src/core/errors.js';

function usage(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    assert.ok(error instanceof LbDevError && error.code === 'USAGE', String(error));
    return error.message;
  }
  assert.fail('expected a USAGE error');
}

describe('durationFlag', () => {
  it('reads durations in milliseconds', () => {
    assert.equal(durationFlag('--drain')('1.5s'), 1_500);
    assert.equal(durationFlag('--drain')('596h31m23.647s'), 2 ** 31 - 1);
  });

  for (const value of ['1000h', '720h', `${'9'.repeat(400)}s`]) {
    it(`refuses ${value.slice(0, 12)} as longer than a timer can wait`, () => {
      assert.equal(
        usage(() => durationFlag('--interval')(value)),
        `--interval: expected a duration of at most 596h31m23.647s (about 24.8 days, the longest timer Node.js can set), got ${JSON.stringify(value)}`,
      );
    });
  }

  it('refuses a duration below its minimum (chaos --interval 0 would be a busy loop)', () =>
    assert.equal(
      usage(() => durationFlag('--interval', 100)('0')),
      '--interval: expected a duration of at least 100ms, got "0"',
    ));

  it('names the flag for text it cannot read', () =>
    assert.match(
      usage(() => durationFlag('--since')('soon')),
      /^--since: expected a duration/,
    ));
});

describe('traefikMode', () => {
  it('accepts the modes', () => assert.deepEqual(['auto', 'docker', 'binary', 'external'].map(traefikMode), ['auto', 'docker', 'binary', 'external']));
  it('names them when wrong', () =>
    assert.equal(
      usage(() => traefikMode('dokcer')),
      '--traefik: expected auto, docker, binary or external, got "dokcer"',
    ));
});
