import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CLEAR_SCREEN, bold, dim, paint, red, RESET, SGR } from '../../../../src/core/text/colors.js';
import { hasAnsi, stripAnsi } from '../../../../src/core/text/ansi.js';

describe('colors', () => {
  it('wraps text in its SGR code and a reset when enabled', () => {
    assert.equal(red('error', true), '\u001b[31merror\u001b[0m');
    assert.equal(paint('app-1 |', '1;37', true), '\u001b[1;37mapp-1 |\u001b[0m');
    assert.equal(paint('ok', SGR.green, true), `\u001b[32mok${RESET}`);
  });
  it('leaves text untouched when disabled', () => {
    for (const painter of [red, dim, bold]) assert.equal(painter('plain', false), 'plain');
    assert.equal(paint('plain', SGR.yellow, false), 'plain');
  });
  it('writes only sequences stripAnsi removes', () => {
    assert.equal(stripAnsi(`${red('a', true)}${dim('b', true)}${bold('c', true)}`), 'abc');
    assert.equal(stripAnsi(`${CLEAR_SCREEN}table`), 'table');
    assert.ok(hasAnsi(CLEAR_SCREEN));
  });
});
