// compileUserPattern, patternRefusal and unsupportedPart (src/core/text/user-pattern.ts): what the
// linear engine refuses is named, what it runs is kept, and the scan agrees with this Node's V8.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import '../../../../src/adapters/linear-regexp-engine.js';
import { isLbDevError } from '../../../../src/core/errors.js';
import { LINEAR_EXPECTED, SYNTAX_EXPECTED, compileUserPattern, patternRefusal, unsupportedPart } from '../../../../src/core/text/user-pattern.js';
import { READY_LINE, REBUILT_LINE } from '../../../../src/core/config/presets/rocketchat.js';
import { FUZZ_SEED, picker } from '../../../helpers/fuzz.js';
import { REDOS_SHAPES, mutateShape } from '../../../helpers/redos-shapes.js';

const REFUSED: Array<[pattern: string, named: string]> = [
  ['(a)\\1', '`\\1` is a backreference'],
  ['(?<word>\\w+) \\k<word>', '`\\k<word>` is a backreference'],
  ['ready(?= on)', '`(?= on)` is a lookahead'],
  ['ready(?!ish)', '`(?!ish)` is a lookahead'],
  ['(?<=port )\\d+', '`(?<=port )` is a lookbehind'],
  ['(?<!not )ready', '`(?<!not )` is a lookbehind'],
  ['commit [0-9a-f]{40}', '`[0-9a-f]{40}` counts more than 16'],
  ['x{0,1000}', '`x{0,1000}` counts more than 16'],
  ['a{17,}', '`a{17,}` counts more than 16'],
  ['(a{4}){5}', '`a{4}` inside other counts'],
  ['(?:a+){16}', '`a+` inside other counts'],
];

const ACCEPTED = [
  'listening on port \\d+',
  'ready in \\d+ms',
  'SERVER RUNNING',
  '^=> Meteor server restarted',
  'Server running at http://[^ ]+:\\d+/?',
  '\\(?=not a group',
  '[(?=]x',
  '\\1 without a group is an octal escape',
  '(a)[\\1]',
  'a{16}',
  '(?:a{4}){4}',
  '\\d{1,3}(\\.\\d{1,3}){3}',
  '🚀 ready',
  '(?<name>x)y',
  'a*a*a*a*b',
  '(a+)+$',
];

describe('user patterns', () => {
  for (const [pattern, named] of REFUSED) {
    it(`refuses ${pattern}, naming the part and what to do`, () => {
      const refusal = patternRefusal(pattern);
      assert.equal(refusal?.expected, LINEAR_EXPECTED);
      assert.ok(refusal.hint.startsWith(named), refusal.hint);
      assert.match(refusal.hint, /linear time so that no output line can hang it; see docs\/configuration\.md$/);
      assert.throws(
        () => compileUserPattern(pattern),
        (error) => isLbDevError(error) && error.code === 'CONFIG_INVALID' && error.message.includes(named),
      );
    });
  }

  for (const pattern of [...ACCEPTED, READY_LINE, REBUILT_LINE]) {
    it(`compiles ${pattern} for the linear engine`, () => {
      assert.equal(patternRefusal(pattern), undefined);
      const compiled = compileUserPattern(pattern);
      assert.ok(compiled.flags.includes('l'), compiled.flags);
      assert.equal(compiled.source, new RegExp(pattern).source);
    });
  }

  it('a syntax error is reported in the normal engine words', () => {
    assert.deepEqual(patternRefusal('ready ('), { expected: SYNTAX_EXPECTED, hint: 'Invalid regular expression: /ready (/: Unterminated group' });
  });

  it(`the scan agrees with this Node's V8 (${process.version}) on the cases, the ReDoS shapes and their mutations`, () => {
    const p = picker(FUZZ_SEED);
    const corpus = [
      ...REFUSED.map(([pattern]) => pattern),
      ...ACCEPTED,
      ...REDOS_SHAPES.map((shape) => shape.pattern),
      ...Array.from({ length: 200 }, () => mutateShape(p).pattern),
      ...Array.from({ length: 20 }, (_, n) => [`a{${n}}`, `a{${n},}`, `(?:a{2}){${n}}`, `(?:a+){${n}}`, `(?:a*){${n}}`]).flat(),
    ];
    for (const pattern of corpus) {
      let v8Runs = true;
      try {
        new RegExp(pattern, 'l');
      } catch {
        v8Runs = false;
      }
      const part = unsupportedPart(pattern);
      if (!v8Runs) assert.notEqual(part, undefined, `V8 refuses ${pattern}: the scan must name why`);
      // Node 22 runs lookbehind (and counts Node 20 refuses); lb-dev refuses them on every Node.
      if (part !== undefined && v8Runs) assert.ok(!process.version.startsWith('v20.'), `${pattern}: scan says ${part}, V8 runs it`);
    }
  });
});
