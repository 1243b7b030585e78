import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { catastrophicPart } from '../../../../src/core/config/safe-regex.js';

describe('catastrophicPart', () => {
  const unsafe: Array<[string, string]> = [
    ['(a+)+', '(a+)+'],
    ['(a*)*', '(a*)*'],
    ['(a|a)*', '(a|a)*'],
    ['(a|aa)+', '(a|aa)+'],
    ['^(\\d+x)*$', '(\\d+x)*'],
    ['(?:a?)*b', '(?:a?)*'],
    ['((ab)+c){2,}', '((ab)+c){2,}'],
    ['(\\d|x)+', '(\\d|x)+'],
    ['(.|a)*', '(.|a)*'],
    ['ready ((a+)b)+ now', '((a+)b)+'],
    ['(?<word>\\w+\\s?)+$', '(?<word>\\w+\\s?)+'],
    ['(a|)*', '(a|)*'],
  ];
  for (const [pattern, part] of unsafe) {
    it(`refuses ${pattern}, naming ${part}`, () => assert.equal(catastrophicPart(pattern), part));
  }

  const safe = [
    'listening on port \\d+',
    'ready in \\d+ms',
    '(GET|POST)+ /api',
    '(ab)+c',
    '(a+)?b',
    '(a+){1}',
    '[(a+)+]*',
    '\\(a+\\)+',
    'Server running at http://[^ ]+:\\d+/?',
    '(?=a+)b',
    '(abc){3}',
    // Adjacent repetitions are adjacent-repetition.ts's (a warning), not a refusal here.
    'a*a*a*a*b',
    '\\d+\\d+',
  ];
  for (const pattern of safe) {
    it(`accepts ${pattern}`, () => assert.equal(catastrophicPart(pattern), undefined));
  }
});
