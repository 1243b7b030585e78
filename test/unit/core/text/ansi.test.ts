import assert from 'node:assert/strict';
import { test } from 'node:test';
import { hasAnsi, stripAnsi } from '../../../../src/core/text/ansi.js';

const cases: [name: string, input: string, expected: string][] = [
  ['plain text is unchanged', 'hello world', 'hello world'],
  ['SGR colours', '\u001b[32mgreen\u001b[39m and \u001b[1;31mbold red\u001b[0m', 'green and bold red'],
  ['codes inside a phrase', '|  \u001b[1m\u001b[32mSERVER RUNNING\u001b[39m\u001b[22m  |', '|  SERVER RUNNING  |'],
  ['256 and true colour', '\u001b[38;5;208morange\u001b[38;2;1;2;3mrgb\u001b[m', 'orangergb'],
  ['cursor movement and erase line', '\u001b[2K\u001b[1G50%\u001b[3A', '50%'],
  ['private mode (hide cursor)', '\u001b[?25lspinner\u001b[?25h', 'spinner'],
  ['OSC title ended by BEL', '\u001b]0;my title\u0007text', 'text'],
  ['OSC 8 hyperlink ended by ESC \\', '\u001b]8;;http://x.test\u001b\\link\u001b]8;;\u001b\\', 'link'],
  ['charset selection', '\u001b(Bplain', 'plain'],
  ['two-byte escapes', '\u001b7saved\u001b8', 'saved'],
  ['8-bit CSI', '\u009b31mred\u009b0m', 'red'],
  ['unicode survives', '\u001b[36m✓ ready — 100%\u001b[0m', '✓ ready — 100%'],
];

for (const [name, input, expected] of cases) {
  test(`stripAnsi: ${name}`, () => {
    assert.equal(stripAnsi(input), expected);
  });
}

test('hasAnsi tells coloured from plain text', () => {
  assert.equal(hasAnsi('plain'), false);
  assert.equal(hasAnsi('\u001b[1mx'), true);
});
