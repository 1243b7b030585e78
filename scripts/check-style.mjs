#!/usr/bin/env node
/**
 * The style rules biome does not check, without dependencies (run by `npm run lint`):
 * - FAIL: a code file under src/ or test/ over 300 lines;
 * - FAIL: a function in src/app over 80 lines;
 * - FAIL: a test/unit/**\/*.test.ts without its src file (a/b.test.ts -> src/a/b.ts; a/b-what.test.ts -> src/a/b.ts
 *   or src/a/b/what.ts),
 *   apart from the cross-cutting directories of MIRROR_EXEMPT;
 * - reported only: lines over 160 characters.
 * Functions are found by a scan, not a parser: comments and string/template text are blanked first,
 * then `function` declarations, methods (`name(...) {` at a line's start) and arrows with a block body
 * (`=> {`) are matched and their braces counted. Limits: a regex literal holding a quote or a brace can
 * throw the blanking off; a return type written as an object literal type is taken for the body.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

export const MAX_FILE_LINES = 300;
export const MAX_FUNCTION_LINES = 80;
export const MAX_LINE_CHARS = 160;
const CODE = /\.(ts|mts|cts|tsx|js|mjs|cjs)$/;

/** Directories of test/unit whose tests are about no one src file, and why. */
export const MIRROR_EXEMPT = {
  'architecture/': 'rules over the whole of src (layers, imports)',
  'bench/': 'tests scripts/bench, not src',
  'fixtures/': 'tests the fixtures under test/fixtures',
  'fuzz/': 'fuzzes whole entry points (CLI, config) across modules',
  'scripts/': 'tests scripts/*.mjs, not src',
  'package/': "tests package.json's own scripts (how `npm run lb:dev` is signalled)",
};

/** The text with comments and the contents of strings and templates replaced by spaces (newlines kept). */
export function blankNonCode(text) {
  let out = '';
  const templates = []; // brace depths at which a `${` of a template was opened
  let depth = 0;
  let i = 0;
  const blank = (c) => (c === '\n' ? '\n' : ' ');
  const skipString = (quote) => {
    out += quote;
    for (i++; i < text.length && text[i] !== quote && text[i] !== '\n'; i++) {
      if (text[i] === '\\') {
        out += ' ';
        i++;
      }
      out += blank(text[i] ?? '');
    }
    if (i < text.length) out += text[i];
    i++;
  };
  const skipTemplate = () => {
    // From inside a template (after ` or after the } of a ${...}): to its end, or into a ${.
    for (; i < text.length; i++) {
      const c = text[i];
      if (c === '\\') {
        out += '  ';
        i++;
        continue;
      }
      if (c === '`') {
        out += '`';
        i++;
        return;
      }
      if (c === '$' && text[i + 1] === '{') {
        out += '${';
        i += 2;
        templates.push(depth);
        depth++;
        return;
      }
      out += blank(c);
    }
  };
  while (i < text.length) {
    const c = text[i];
    const next = text[i + 1];
    if (c === '/' && next === '/') {
      while (i < text.length && text[i] !== '\n') {
        out += ' ';
        i++;
      }
    } else if (c === '/' && next === '*') {
      const end = text.indexOf('*/', i + 2);
      const stop = end === -1 ? text.length : end + 2;
      for (; i < stop; i++) out += blank(text[i]);
    } else if (c === '"' || c === "'") {
      skipString(c);
    } else if (c === '`') {
      out += '`';
      i++;
      skipTemplate();
    } else if (c === '}' && templates.length > 0 && templates[templates.length - 1] === depth - 1) {
      templates.pop();
      depth--;
      out += '}';
      i++;
      skipTemplate();
    } else {
      if (c === '{') depth++;
      if (c === '}') depth--;
      out += c;
      i++;
    }
  }
  return out;
}

const NOT_METHODS = new Set(['if', 'for', 'while', 'switch', 'catch', 'function', 'return', 'with', 'await', 'typeof', 'new', 'super', 'constructor_']);
const FUNCTION = /\bfunction\b\s*\*?\s*([\w$]*)\s*(?:<[^>(]*>)?\s*\(/g;
const METHOD = /^[ \t]*(?:(?:public|private|protected|static|async|readonly|override|get|set)\s+)*\*?([A-Za-z_$][\w$]*)\s*(?:<[^>(]*>)?\s*\(/gm;
const ARROW = /=>\s*\{/g;

/** Index of the bracket closing the one at `open` (`(` or `{`), or -1. */
function closing(code, open) {
  const pair = code[open] === '(' ? ['(', ')'] : ['{', '}'];
  let depth = 0;
  for (let i = open; i < code.length; i++) {
    if (code[i] === pair[0]) depth++;
    else if (code[i] === pair[1] && --depth === 0) return i;
  }
  return -1;
}

/** The `{` opening the body after a parameter list opened at `paren`, or -1 (a call, an overload, a type). */
function bodyAfterParams(code, paren) {
  const end = closing(code, paren);
  if (end === -1) return -1;
  let i = end + 1;
  while (/\s/.test(code[i] ?? '')) i++;
  if (code[i] === '{') return i;
  if (code[i] !== ':') return -1;
  // A return type: up to the first `{` outside brackets; a `;`, `=` or `,` first means no body.
  let depth = 0;
  for (i++; i < code.length; i++) {
    const c = code[i];
    if (c === '(' || c === '<' || c === '[') depth++;
    else if (c === ')' || c === '>' || c === ']') depth--;
    else if (depth <= 0 && c === '{') return i;
    else if (depth <= 0 && (c === ';' || c === '=' || c === ',')) return -1;
  }
  return -1;
}

const lineAt = (code, index) => code.slice(0, index).split('\n').length;

/** The functions of a source text with a block body: name, first line, and length in lines (both braces' lines included). */
export function functionsIn(text) {
  const code = blankNonCode(text);
  const found = new Map(); // by the body's opening brace, so one function is counted once
  const add = (name, start, brace) => {
    if (brace === -1 || found.has(brace)) return;
    const end = closing(code, brace);
    if (end === -1) return;
    const line = lineAt(code, start);
    found.set(brace, { name: name || '<anonymous>', line, lines: lineAt(code, end) - line + 1 });
  };
  for (const m of code.matchAll(FUNCTION)) add(m[1], m.index, bodyAfterParams(code, m.index + m[0].length - 1));
  for (const m of code.matchAll(METHOD)) {
    if (NOT_METHODS.has(m[1])) continue;
    add(m[1], m.index + m[0].indexOf(m[1]), bodyAfterParams(code, m.index + m[0].length - 1));
  }
  for (const m of code.matchAll(ARROW)) {
    const lineStart = code.lastIndexOf('\n', m.index) + 1;
    const name = /([\w$]+)\s*(?::[^=]*)?=\s*(?:async\s*)?(?:\(.*)?$/.exec(code.slice(lineStart, m.index))?.[1] ?? '<arrow>';
    add(name, lineStart, m.index + m[0].length - 1);
  }
  return [...found.values()].sort((a, b) => a.line - b.line);
}

/** The src file a test/unit path (relative to test/unit, `/`-separated) is about, or null; `exists` is asked for candidates. */
export function mirrorOf(testPath, exists) {
  const match = /^(.*\/)?([^/]+)\.test\.ts$/.exec(testPath);
  if (!match) return null;
  const dir = match[1] ?? '';
  const parts = match[2].split('-');
  // b-c-d.test.ts is about b-c-d.ts, else b-c.ts, else b.ts (a test of one side of b).
  for (let n = parts.length; n > 0; n--) {
    const name = parts.slice(0, n).join('-');
    // dashboard-api.test.ts may also be about src/.../dashboard/api.ts.
    for (const candidate of [`src/${dir}${name}.ts`, `src/${dir}${name}/index.ts`, `src/${dir}${parts.slice(0, n).join('/')}.ts`]) {
      if (exists(candidate)) return candidate;
    }
  }
  return null;
}

export function exemptionOf(testPath) {
  return Object.keys(MIRROR_EXEMPT).find((prefix) => testPath.startsWith(prefix)) ?? null;
}

function walk(dir, into = []) {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path, into);
    else if (CODE.test(name)) into.push(path);
  }
  return into;
}

/** Checks the tree at `root`: { failures: string[], notes: string[] }. */
export function checkTree(root) {
  const failures = [];
  const longLines = [];
  const files = ['src', 'test'].flatMap((top) => (existsSync(join(root, top)) ? walk(join(root, top)) : []));
  for (const file of files) {
    const rel = relative(root, file).split(sep).join('/');
    const text = readFileSync(file, 'utf8');
    const lines = text.split('\n');
    const count = text.endsWith('\n') ? lines.length - 1 : lines.length;
    if (count > MAX_FILE_LINES) failures.push(`${rel}: ${count} lines (at most ${MAX_FILE_LINES}): split it by purpose`);
    lines.forEach((line, i) => {
      if (line.length > MAX_LINE_CHARS) longLines.push(`${rel}:${i + 1} (${line.length})`);
    });
    if (rel.startsWith('src/app/') && /\.ts$/.test(rel)) {
      for (const fn of functionsIn(text)) {
        if (fn.lines > MAX_FUNCTION_LINES) failures.push(`${rel}:${fn.line}: function ${fn.name} is ${fn.lines} lines (at most ${MAX_FUNCTION_LINES})`);
      }
    }
    if (rel.startsWith('test/unit/') && rel.endsWith('.test.ts')) {
      const testPath = rel.slice('test/unit/'.length);
      if (!exemptionOf(testPath) && !mirrorOf(testPath, (p) => existsSync(join(root, p)))) {
        failures.push(`${rel}: no src file it tests (src/${testPath.replace(/\.test\.ts$/, '.ts')}, or one its name starts with)`);
      }
    }
  }
  const notes =
    longLines.length === 0
      ? []
      : [`${longLines.length} lines over ${MAX_LINE_CHARS} characters (reported, not failed), first: ${longLines.slice(0, 5).join(', ')}`];
  return { failures, notes, files: files.length };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const root = join(dirname(fileURLToPath(import.meta.url)), '..');
  const { failures, notes, files } = checkTree(root);
  for (const note of notes) console.log(`note: ${note}`);
  if (failures.length === 0) {
    console.log(`check-style: ${files} files in src/ and test/ keep the rules`);
  } else {
    console.log(`check-style: ${failures.length} problem(s) in ${files} files:`);
    for (const failure of failures) console.log(`  ${failure}`);
    process.exitCode = 1;
  }
}
