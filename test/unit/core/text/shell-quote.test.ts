import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { shellQuote } from '../../../../src/core/text/shell-quote.js';

describe('shellQuote', () => {
  for (const arg of ['/usr/bin/node', 'with space', "it's", '$HOME `x` "q"', '']) {
    it(`a shell gives back ${JSON.stringify(arg)} unchanged`, () => {
      assert.equal(execFileSync('sh', ['-c', `printf %s ${shellQuote(arg)}`], { encoding: 'utf8' }), arg);
    });
  }
});
