import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { adjacentRepetition } from '../../../../src/core/config/adjacent-repetition.js';

describe('adjacentRepetition', () => {
  const found: Array<[pattern: string, part: string]> = [
    ['a*a*a*a*b', 'a*a*a*a*'],
    ['took \\d+\\d+ms', '\\d+\\d+'],
    ['.*.*=', '.*.*'],
    ['\\w*\\d*', '\\w*\\d*'],
    ['(ab)*(ab)*c', '(ab)*(ab)*'],
    ['key \\w+\\s?\\w+ =', '\\w+\\s?\\w+'],
    ['a*b*a*', 'a*b*a*'],
    ['[a-z]+[^0-9]+', '[a-z]+[^0-9]+'],
    ['x{1,3}x{2,}', 'x{1,3}x{2,}'],
    ['ready (\\d+\\d+|done)', '\\d+\\d+'],
    ['\\x41+A+', '\\x41+A+'],
    ['.*\\d+ms', '.*\\d+'],
  ];
  for (const [pattern, part] of found) {
    it(`finds ${part} in ${pattern}`, () => assert.equal(adjacentRepetition(pattern), part));
  }

  const clean = [
    'listening on port \\d+',
    '\\d+\\.\\d+',
    '\\s*\\d+',
    '[a-z]+[0-9]+',
    'a+b+a+',
    '^=> Meteor server restarted',
    'SERVER RUNNING',
    'a?a?',
    'a+a',
    '\\d+\\b\\d+',
    '(?=\\d+)\\d+',
    '[(a*a*)]+',
    '\\(a*\\)a*',
    'Server running at http://[^ ]+:\\d+/?',
  ];
  for (const pattern of clean) {
    it(`finds nothing in ${pattern}`, () => assert.equal(adjacentRepetition(pattern), undefined));
  }
});
