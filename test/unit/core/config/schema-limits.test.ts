// Values that passed the old checks but could not work: timers beyond Node's range, log
// patterns that backtrack catastrophically, placeholders that are never filled, and env
// variables that lb-dev sets itself.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LbDevError } from '../../../../src/core/errors.js';
import { MAX_DURATION_MS } from '../../../../src/core/text/duration.js';
import { resolveConfig } from '../../../../src/core/config/schema.js';
import type { ConfigOverrides, LbDevConfig } from '../../../../src/core/config/types.js';

const CWD = '/home/me/project';

function resolve(raw: unknown, overrides: ConfigOverrides = {}): LbDevConfig {
  return resolveConfig(raw, { source: `${CWD}/lb-dev.config.yaml`, overrides, cwd: CWD, demoCommand: 'node demo.js' });
}

function details(raw: unknown, overrides: ConfigOverrides = {}): readonly string[] {
  try {
    resolve(raw, overrides);
  } catch (error) {
    assert.ok(error instanceof LbDevError && error.code === 'CONFIG_INVALID', String(error));
    return error.details;
  }
  assert.fail('expected CONFIG_INVALID');
}

const TOO_LONG = 'expected a duration of at most 596h31m23.647s (about 24.8 days, the longest timer Node.js can set)';

describe('durations stay within the timer range', () => {
  const cases: Array<[unknown, string, string]> = [
    [{ stopGracePeriod: '1000h' }, 'stopGracePeriod', '"1000h"'],
    [{ readiness: { startTimeout: '720h' } }, 'readiness.startTimeout', '"720h"'],
    [{ restart: { maxDelay: `${'9'.repeat(400)}s` } }, 'restart.maxDelay', `"${'9'.repeat(60)}"... (401 characters)`],
    [{ balancer: { healthCheck: { interval: 2 ** 31 } } }, 'balancer.healthCheck.interval', String(2 ** 31)],
  ];
  for (const [raw, key, shown] of cases) {
    it(`${key}: ${shown.slice(0, 20)} is refused`, () => {
      assert.deepEqual(details(raw), [`${key}: ${TOO_LONG}, got ${shown}`]);
    });
  }

  it('the longest timer itself is accepted', () => {
    assert.equal(resolve({ readiness: { startTimeout: MAX_DURATION_MS } }).groups[0]!.readiness.startTimeoutMs, MAX_DURATION_MS);
    assert.equal(resolve({ readiness: { startTimeout: '596h31m23.647s' } }).groups[0]!.readiness.startTimeoutMs, MAX_DURATION_MS);
  });
});

describe('readiness.logPattern', () => {
  it('a nested repetition is refused, naming the part', () => {
    assert.deepEqual(details({ readiness: { logPattern: '^(a+)+$' } }), [
      'readiness.logPattern: expected a regular expression without a repeated group that repeats inside or has alternatives starting alike, got "^(a+)+$" (`(a+)+` can take exponential time on a line that almost matches in a backtracking engine; see docs/configuration.md)',
    ]);
  });

  it('what the linear engine cannot run is refused, naming the part and what to do (both log patterns)', () => {
    const raw = {
      groups: {
        dev: { command: 'x', readiness: { logPattern: 'ready(?= on)' } },
        web: { command: 'y', restartOn: { logFrom: 'dev', logPattern: '(\\w+) \\1' } },
      },
    };
    // (A refused restartOn.logPattern also reads as missing to the logFrom check: its line comes third.)
    assert.deepEqual(details(raw).slice(0, 2), [
      'groups.dev.readiness.logPattern: expected a regular expression lb-dev can match in linear time: no backreferences, lookahead or lookbehind, counts of at most 16, got "ready(?= on)" (`(?= on)` is a lookahead: match the text itself (`ready(?= on)` -> `ready on`); lb-dev matches patterns in linear time so that no output line can hang it; see docs/configuration.md)',
      'groups.web.restartOn.logPattern: expected a regular expression lb-dev can match in linear time: no backreferences, lookahead or lookbehind, counts of at most 16, got "(\\\\w+) \\\\1" (`\\1` is a backreference: match the text itself, or leave it out; lb-dev matches patterns in linear time so that no output line can hang it; see docs/configuration.md)',
    ]);
  });

  for (const pattern of ['(a*)*', '(a|a)*']) {
    it(`${pattern} is refused`, () => assert.match(details({ readiness: { logPattern: pattern } })[0]!, /can take exponential time/));
  }

  it('a pattern over 1000 characters is refused', () => {
    assert.deepEqual(details({ readiness: { logPattern: 'a'.repeat(1001) } }), [
      `readiness.logPattern: expected a regular expression of at most 1000 characters, got "${'a'.repeat(60)}"... (1001 characters) (it has 1001)`,
    ]);
    assert.equal(resolve({ readiness: { logPattern: 'a'.repeat(1000) } }).groups[0]!.readiness.logPattern, 'a'.repeat(1000));
  });
});

describe('placeholders that cannot be filled', () => {
  it('{extraPort1} with reservePorts 0, in command and env', () => {
    assert.deepEqual(details({ command: 'meteor --port {port} --mongo {extraPort1}', env: { MONGO: 'x:{extraPort1}' } }), [
      'command: expected no {extraPortN} (reservePorts is 0), got {extraPort1}; raise reservePorts to 1 to reserve that port',
      'env.MONGO: expected no {extraPortN} (reservePorts is 0), got {extraPort1}; raise reservePorts to 1 to reserve that port',
    ]);
  });

  it('{extraPort3} with reservePorts 2, and {extraPort0}', () => {
    assert.deepEqual(details({ command: 'x {extraPort3}', reservePorts: 2, env: { A: '{extraPort0}' } }), [
      'command: expected {extraPort1} to {extraPort2} (reservePorts is 2), got {extraPort3}; raise reservePorts to 3 to reserve that port',
      'env.A: expected {extraPort1} to {extraPort2} (reservePorts is 2), got {extraPort0}; extra ports count from {extraPort1}',
    ]);
  });

  it('--command is checked against the first group', () => {
    assert.deepEqual(details({}, { command: 'x {extraPort1}' }), [
      '--command: expected no {extraPortN} (reservePorts is 0), got {extraPort1}; raise reservePorts to 1 to reserve that port',
    ]);
  });

  it('reserved ports may be used; other braces are left alone', () => {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a shell variable in a command, which lb-dev must leave alone.
    const group = resolve({ command: 'x {extraPort1} ${HOME} {a,b}', reservePorts: 1, env: { B: '{extraPort1}' } }).groups[0]!;
    // biome-ignore lint/suspicious/noTemplateCurlyInString: as above.
    assert.equal(group.command, 'x {extraPort1} ${HOME} {a,b}');
  });
});

describe('env keys that lb-dev sets', () => {
  for (const name of ['PORT', 'LB_DEV_INSTANCE', 'LB_DEV_INDEX', 'LB_DEV_STATE_DIR', 'LB_DEV_RUN', 'LB_DEV_URL']) {
    it(`${name} is refused`, () => {
      assert.deepEqual(details({ env: { [name]: '1' } }), [
        `env.${name}: expected an environment variable lb-dev does not set itself, got "${name}" (lb-dev sets PORT, LB_DEV_INSTANCE, LB_DEV_INDEX, LB_DEV_STATE_DIR, LB_DEV_RUN, LB_DEV_URL for every instance)`,
      ]);
    });
  }

  it('other names are fine', () => assert.deepEqual(resolve({ env: { PORT_2: '1', port: '2' } }).groups[0]!.env, { PORT_2: '1', port: '2' }));
});
