import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ansiToHtml } from '../../../../src/core/text/ansi-html.js';

const cases: [name: string, input: string, expected: string][] = [
  ['plain text is escaped', '<b>&"\'</b>', '&#60;b&#62;&#38;&#34;&#39;&#60;/b&#62;'],
  ['a colour, then its reset', '\u001b[32mok\u001b[39m done', '<span class="fg2">ok</span> done'],
  ['bold red, reset with an empty SGR', '\u001b[1;31mERR\u001b[m x', '<span class="fg1 b">ERR</span> x'],
  ['bright colours and backgrounds', '\u001b[91;44mhi', '<span class="fg9 bg4">hi</span>'],
  ['text inside a span is escaped', '\u001b[33m<script>', '<span class="fg3">&#60;script&#62;</span>'],
  ['256 colours are skipped with their arguments', '\u001b[38;5;208;1mx', '<span class="b">x</span>'],
  ['true colour is skipped with its arguments', '\u001b[38;2;1;2;3;4mx', '<span class="u">x</span>'],
  ['cursor moves and titles are dropped', '\u001b[2K\u001b]0;t\u0007\u001b[1G50%', '50%'],
  ['bold off keeps the colour', '\u001b[1;32ma\u001b[22mb', '<span class="fg2 b">a</span><span class="fg2">b</span>'],
];

for (const [name, input, expected] of cases) {
  test(`ansiToHtml: ${name}`, () => assert.equal(ansiToHtml(input), expected));
}
