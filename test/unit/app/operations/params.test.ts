// The one validator of each operation's params (src/app/operations/params.ts): what a good
// request becomes (defaults filled in), and each bad field refused with USAGE, what was
// expected and what was given.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { OperationName } from '../../../../src/app/operations/contract.js';
import { OPERATION_PARAMS, parseChaosParams, parseParams } from '../../../../src/app/operations/params.js';
import { isLbDevError } from '../../../../src/core/errors.js';

const good: Array<[OperationName, unknown, unknown]> = [
  ['hello', undefined, {}],
  ['status', {}, {}],
  ['down', {}, {}],
  ['kill', { instance: '2' }, { instance: '2', random: false, signal: 'SIGKILL', by: 'kill' }],
  ['kill', { random: true, signal: 'term' }, { instance: null, random: true, signal: 'SIGTERM', by: 'kill' }],
  ['kill', { instance: 'app-1', random: false, signal: null }, { instance: 'app-1', random: false, signal: 'SIGKILL', by: 'kill' }],
  ['kill', { instance: '1', by: 'dashboard-chaos' }, { instance: '1', random: false, signal: 'SIGKILL', by: 'dashboard-chaos' }],
  ['kill', { instance: '1', by: 'scenario' }, { instance: '1', random: false, signal: 'SIGKILL', by: 'scenario' }],
  ['stop', { instance: 'app-2' }, { instance: 'app-2' }],
  ['start', { instance: '1' }, { instance: '1', wait: true }],
  ['start', { instance: '1', wait: false }, { instance: '1', wait: false }],
  ['restart', { instance: '3' }, { instance: '3', all: false, rolling: false, drainMs: 1_000 }],
  ['restart', { all: true, rolling: true, drainMs: 0 }, { instance: null, all: true, rolling: true, drainMs: 0 }],
  ['scale', { count: 0 }, { count: 0, group: null, drainMs: 1_000, wait: true }],
  ['scale', { count: 64, group: 'app', drainMs: 250, wait: false }, { count: 64, group: 'app', drainMs: 250, wait: false }],
  ['logs', {}, { sources: null, lines: 100, sinceMs: null, follow: false }],
  ['logs', { sources: [], lines: 5, sinceMs: null }, { sources: null, lines: 5, sinceMs: null, follow: false }],
  ['logs', { sources: ['2', 'traefik'], lines: 0, sinceMs: 30_000, follow: true }, { sources: ['2', 'traefik'], lines: 0, sinceMs: 30_000, follow: true }],
  ['watch', {}, { intervalMs: 1_000 }],
  ['watch', { intervalMs: 250 }, { intervalMs: 250 }],
  ['watch', { intervalMs: 100 }, { intervalMs: 100 }],
  ['restart', { all: true, drainMs: 2 ** 31 - 1 }, { instance: null, all: true, rolling: false, drainMs: 2 ** 31 - 1 }],
];

const bad: Array<[OperationName, unknown, RegExp]> = [
  ['hello', [1], /^hello: expected the params to be an object, got an array of 1$/],
  ['status', 'now', /^status: expected the params to be an object, got the string "now"$/],
  ['status', { verbose: true }, /^status: expected only the fields \(none\), got "verbose"$/],
  ['down', { now: 1 }, /^down: expected only the fields \(none\), got "now"$/],
  ['kill', {}, /^expected the instance name to be a non-empty string, got nothing$/],
  ['kill', { instance: '' }, /^expected the instance name to be a non-empty string, got ""$/],
  ['kill', { instance: 2 }, /^expected the instance name to be a non-empty string, got 2$/],
  ['kill', { instance: '1', random: 'yes' }, /^expected random to be true or false, got "yes"$/],
  ['kill', { instance: '1', by: 'me' }, /^expected by to be one of kill, chaos, dashboard, dashboard-chaos, scenario, got "me"$/],
  ['kill', { instance: '1', by: 'toString' }, /^expected by to be one of .*, got "toString"$/],
  ['kill', { instance: '1', signal: 'SIGNOPE' }, /^expected a signal such as SIGKILL, SIGTERM or SIGSTOP, got "SIGNOPE"$/],
  ['kill', { instance: '1', signal: 9 }, /^expected a signal such as SIGKILL, SIGTERM or SIGSTOP, got 9$/],
  ['kill', { instance: '1', pid: 5 }, /^kill: expected only the fields instance, random, signal, by, got "pid"$/],
  ['stop', {}, /^expected the instance name to be a non-empty string, got nothing$/],
  ['stop', { instance: null }, /^expected the instance name to be a non-empty string, got null$/],
  ['stop', { instance: '1', wait: false }, /^stop: expected only the fields instance, got "wait"$/],
  ['start', { instance: ['1'] }, /^expected the instance name to be a non-empty string, got \["1"\]$/],
  ['start', { instance: '1', wait: 'no' }, /^expected wait to be true or false, got "no"$/],
  ['restart', {}, /^expected the instance name to be a non-empty string, got nothing$/],
  ['restart', { all: 1 }, /^expected all to be true or false, got 1$/],
  ['restart', { all: true, rolling: 'yes' }, /^expected rolling to be true or false, got "yes"$/],
  ['restart', { all: true, drainMs: -1 }, /^expected drainMs to be a number of milliseconds from 0 to 2147483647 \(about 24\.8 days.*\), got -1$/],
  ['restart', { all: true, drainMs: '1s' }, /^expected drainMs to be a number of milliseconds from 0 to 2147483647 .*, got "1s"$/],
  // Node's setTimeout fires a longer delay after 1 ms: a drain of 2^31 ms would be no drain at all.
  ['restart', { all: true, drainMs: 2 ** 31 }, /^expected drainMs to be a number of milliseconds from 0 to 2147483647 .*, got 2147483648$/],
  ['restart', { all: true, drainMs: 1e308 }, /^expected drainMs .* got 1e\+308$/],
  ['restart', { all: true, instance: 3 }, /^expected the instance name to be a non-empty string, got 3$/],
  ['scale', {}, /^scale: expected a whole number of instances from 0 to 64, got nothing$/],
  ['scale', { count: -1 }, /^expected count to be a number >= 0, got -1$/],
  ['scale', { count: 2.5 }, /^scale: expected a whole number of instances from 0 to 64, got 2.5$/],
  ['scale', { count: 65 }, /^scale: expected a whole number of instances from 0 to 64, got 65$/],
  ['scale', { count: '3' }, /^expected count to be a number >= 0, got "3"$/],
  ['scale', { count: 1, group: 7 }, /^expected the group name to be a non-empty string, got 7$/],
  ['scale', { count: 1, drainMs: null, wait: 0 }, /^expected wait to be true or false, got 0$/],
  ['scale', { count: 1, drainMs: 2 ** 31 + 1 }, /^expected drainMs to be a number of milliseconds from 0 to 2147483647 .*, got 2147483649$/],
  ['scale', { count: 1, instances: 2 }, /^scale: expected only the fields count, group, drainMs, wait, got "instances"$/],
  ['logs', { sources: 'app-1' }, /^expected sources to be a list of names \(app-2, 2, traefik, lb-dev\), got "app-1"$/],
  ['logs', { sources: ['app-1', 2] }, /^expected sources\[1\] to be a non-empty string, got 2$/],
  ['logs', { lines: -5 }, /^expected lines to be a number >= 0, got -5$/],
  ['logs', { sinceMs: 'a minute' }, /^expected sinceMs to be a number >= 0, got "a minute"$/],
  ['logs', { follow: 'true' }, /^expected follow to be true or false, got "true"$/],
  ['watch', { intervalMs: -1 }, /^expected intervalMs to be a number of milliseconds from 100 to 2147483647 .*, got -1$/],
  // 0 was a status report per turn of the event loop: a 1.2 MB/s stream at 11 % CPU.
  ['watch', { intervalMs: 0 }, /^expected intervalMs to be a number of milliseconds from 100 to 2147483647 .*, got 0$/],
  ['watch', { intervalMs: 99 }, /^expected intervalMs .* from 100 .*, got 99$/],
  ['watch', { intervalMs: 2 ** 31 }, /^expected intervalMs .* to 2147483647 .*, got 2147483648$/],
  ['watch', { every: 1 }, /^watch: expected only the fields intervalMs, got "every"$/],
];

describe('operation params', () => {
  for (const [name, raw, expected] of good) {
    it(`${name} ${JSON.stringify(raw)} -> ${JSON.stringify(expected)}`, () => assert.deepEqual(parseParams(name, raw), expected));
  }
  for (const [name, raw, message] of bad) {
    it(`${name} ${JSON.stringify(raw)}: USAGE ${message}`, () => {
      assert.throws(
        () => parseParams(name, raw),
        (error: unknown) => isLbDevError(error) && error.code === 'USAGE' && message.test(error.message),
      );
    });
  }

  it('has a good request and a bad one for every operation', () => {
    for (const name of Object.keys(OPERATION_PARAMS) as OperationName[]) {
      assert.ok(
        good.some(([n]) => n === name),
        `a good ${name}`,
      );
      assert.ok(
        bad.some(([n]) => n === name),
        `a bad ${name}`,
      );
    }
  });

  it('never takes a field from the prototype', () => {
    const inherited = Object.create({ instance: 'app-1' }) as object;
    assert.throws(() => parseParams('stop', inherited), /expected the instance name to be a non-empty string, got nothing/);
  });
});

describe('chaos params (the dashboard switch)', () => {
  it('fills in the defaults', () => assert.deepEqual(parseChaosParams({}), { intervalMs: 10_000, keep: 1, signal: 'SIGKILL' }));
  const refused: Array<[unknown, RegExp]> = [
    [{ intervalMs: 5 }, /^intervalMs: expected a whole number from 100 to 3600000, got 5$/],
    [{ intervalMs: '1s' }, /^intervalMs: expected a whole number from 100 to 3600000, got "1s"$/],
    [{ keep: 65 }, /^keep: expected a whole number from 0 to 64, got 65$/],
    [{ signal: 'nope' }, /^expected a signal such as SIGKILL/],
    [{ every: 1 }, /^chaos: expected only the fields intervalMs, keep, signal, got "every"$/],
  ];
  for (const [raw, message] of refused) {
    it(`${JSON.stringify(raw)}: USAGE`, () => {
      assert.throws(
        () => parseChaosParams(raw),
        (error: unknown) => isLbDevError(error) && error.code === 'USAGE' && message.test(error.message),
      );
    });
  }
});
