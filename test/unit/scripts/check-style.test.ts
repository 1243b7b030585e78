// The scanner of scripts/check-style.mjs on small inputs: function lengths, blanking of strings and
// comments, the test -> src mirror, and a whole tree with one file of each failure.
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { blankNonCode, checkTree, exemptionOf, functionsIn, mirrorOf } from '../../../scripts/check-style.mjs';

const body = (n: number) => Array.from({ length: n }, (_, i) => `  const v${i} = ${i};`).join('\n');

test('functionsIn: declarations, methods, arrows with a block body, at any depth; their length in lines', () => {
  const text = [
    'export async function outer(a: number): Promise<void> {', // 1
    '  const inner = (x: string) => {', // 2
    '    return x;', // 3
    '  };', // 4
    '}', // 5
    'class C {', // 6
    '  private async method<T>(t: T): Promise<T> {', // 7
    '    if (t) { return t; }', // 8
    '    return t;', // 9
    '  }', // 10
    '  get value(): number { return 1; }', // 11
    '}', // 12
    'const short = (x: number) => x + 1;', // 13: no block body, not counted
    'call(1);', // 14: a call, not a method
    'function overload(a: string): void;', // 15: no body
  ].join('\n');
  assert.deepEqual(
    functionsIn(text).map((f) => [f.name, f.line, f.lines]),
    [
      ['outer', 1, 5],
      ['inner', 2, 3],
      ['method', 7, 4],
      ['value', 11, 1],
    ],
  );
});

test('functionsIn: braces in strings, templates and comments do not count', () => {
  const text = `function f() {\n  const s = '}}}';\n  const t = \`{ \${'}'} {\`;\n  // }\n  /* { */\n  return s + t;\n}\nfunction g() {\n}`;
  assert.deepEqual(
    functionsIn(text).map((f) => [f.name, f.line, f.lines]),
    [
      ['f', 1, 7],
      ['g', 8, 2],
    ],
  );
  const blanked = blankNonCode(text);
  assert.equal(blanked.split('\n').length, text.split('\n').length, 'newlines kept');
  assert.equal(blanked.includes('}}}'), false);
});

test('functionsIn: a long function is measured whole', () => {
  const [fn] = functionsIn(`function long() {\n${body(85)}\n}\n`);
  assert.equal(fn?.lines, 87);
});

test('mirrorOf: a/b.test.ts is about src/a/b.ts; b-what.test.ts about src/a/b.ts or src/a/b/what.ts', () => {
  const files = new Set(['src/app/up.ts', 'src/app/dashboard/api.ts', 'src/core/config/schema.ts']);
  const exists = (p: string) => files.has(p);
  assert.equal(mirrorOf('app/up.test.ts', exists), 'src/app/up.ts');
  assert.equal(mirrorOf('app/up-failures.test.ts', exists), 'src/app/up.ts');
  assert.equal(mirrorOf('app/dashboard-api.test.ts', exists), 'src/app/dashboard/api.ts');
  assert.equal(mirrorOf('core/config/schema-problems.test.ts', exists), 'src/core/config/schema.ts');
  assert.equal(mirrorOf('app/nothing.test.ts', exists), null);
  assert.equal(mirrorOf('core/up.test.ts', exists), null, 'the same directory only');
  assert.equal(exemptionOf('scripts/check-style.test.ts'), 'scripts/');
  assert.equal(exemptionOf('app/up.test.ts'), null);
});

test('checkTree: fails a long file, a long src/app function and an unmirrored test; only notes a long line', async (t) => {
  const root = await mkdtemp(join(tmpdir(), 'lbdt-style-'));
  t.after(() => rm(root, { recursive: true, force: true }));
  const files: Record<string, string> = {
    'src/app/ok.ts': `export function ok() {\n${body(10)}\n}\n`,
    'src/app/long-function.ts': `export function tooLong() {\n${body(85)}\n}\n`,
    'src/core/long-function.ts': `export function fineHere() {\n${body(85)}\n}\n`,
    'src/core/long-file.ts': `${'export const x = 1;\n'.repeat(301)}`,
    'src/core/wide.ts': `export const wide = '${'w'.repeat(170)}';\n`,
    'test/unit/app/ok.test.ts': '',
    'test/unit/app/ok-more.test.ts': '',
    'test/unit/app/orphan.test.ts': '',
    'test/unit/fuzz/all.test.ts': '',
  };
  for (const [path, text] of Object.entries(files)) {
    await mkdir(dirname(join(root, path)), { recursive: true });
    await writeFile(join(root, path), text);
  }
  const { failures, notes } = checkTree(root);
  assert.equal(failures.length, 3, failures.join('\n'));
  assert.match(failures.join('\n'), /src\/app\/long-function\.ts:1: function tooLong is 87 lines/);
  assert.match(failures.join('\n'), /src\/core\/long-file\.ts: 301 lines/);
  assert.match(failures.join('\n'), /test\/unit\/app\/orphan\.test\.ts: no src file/);
  assert.match(notes.join('\n'), /1 lines over 160 characters .*src\/core\/wide\.ts:1 \(\d+\)/);
});
