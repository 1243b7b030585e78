import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { describe, it } from 'node:test';
import { ERROR_CODES, LbDevError, isLbDevError } from '../../../src/core/errors.js';

const ERRORS_DOC = new URL('../../../docs/errors.md', import.meta.url);

async function documentedCodes(): Promise<string[]> {
  const text = await readFile(ERRORS_DOC, 'utf8');
  return [...text.matchAll(/^## ([A-Z_]+)\s*$/gm)].map((match) => match[1]!);
}

describe('error registry', () => {
  it('every code in ERROR_CODES has a `## CODE` section in docs/errors.md', async () => {
    const documented = new Set(await documentedCodes());
    const missing = Object.keys(ERROR_CODES).filter((code) => !documented.has(code));
    assert.deepEqual(missing, [], `docs/errors.md lacks sections for: ${missing.join(', ')}`);
  });

  it('every `## CODE` section in docs/errors.md is a code in ERROR_CODES, documented once', async () => {
    const documented = await documentedCodes();
    const unknown = documented.filter((code) => !(code in ERROR_CODES));
    assert.deepEqual(unknown, [], `docs/errors.md documents codes that do not exist: ${unknown.join(', ')}`);
    assert.equal(new Set(documented).size, documented.length, 'a code is documented twice');
  });

  it('every code has an exit status and a fix', () => {
    for (const [code, spec] of Object.entries(ERROR_CODES)) {
      assert.ok(Number.isInteger(spec.exitCode) && spec.exitCode > 0, `${code}: exit code`);
      assert.ok(spec.fix.length > 0, `${code}: fix`);
    }
  });

  it('LbDevError carries code, details, exit code and fix', () => {
    const error = new LbDevError('CONFIG_INVALID', 'x has 1 problem', { details: ['line 1: a: expected b, got c'] });
    assert.ok(isLbDevError(error));
    assert.ok(!isLbDevError(new Error('plain')));
    assert.equal(error.code, 'CONFIG_INVALID');
    assert.deepEqual(error.details, ['line 1: a: expected b, got c']);
    assert.equal(error.exitCode, ERROR_CODES.CONFIG_INVALID.exitCode);
    assert.equal(error.fix, ERROR_CODES.CONFIG_INVALID.fix);
  });
});
