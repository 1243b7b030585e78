// src/adapters/linear-regexp-engine.ts: the linear engine is on whatever the import order, as long
// as the adapter is in the import graph; without it a compile fails loudly instead of backtracking.
// Each case runs in a fresh Node process, since the flag, once set, stays set for the process.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { ROOT, TSX } from '../../helpers/lb-dev/index.js';

/** Runs an ES module body in a fresh `node --import tsx` from the repo root; its stdout, trimmed. */
function fresh(body: string): string {
  const run = spawnSync(process.execPath, ['--import', TSX, '--input-type=module', '-e', body], { cwd: ROOT, encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr);
  return run.stdout.trim();
}

const CORE = "import { compileUserPattern, patternRefusal } from './src/core/text/user-pattern.ts';";
const TRY_COMPILE = `
  let outcome;
  try { outcome = compileUserPattern('a*a*a*a*b').test('a'.repeat(50000)) ? 'matched' : 'no match'; }
  catch (error) { outcome = error.code; }
  console.log(outcome);`;

test('without the adapter a compile fails with INTERNAL, while the config scan still answers', () => {
  assert.equal(fresh(`${CORE}${TRY_COMPILE}`), 'INTERNAL');
  assert.equal(fresh(`${CORE} console.log(patternRefusal('(a)\\\\1')?.hint.slice(0, 25));`), '`\\1` is a backreference:');
});

test('the core imported before or after the adapter, or reached through app/readiness.ts: the compile runs linear', () => {
  assert.equal(fresh(`${CORE} import './src/adapters/linear-regexp-engine.ts';${TRY_COMPILE}`), 'no match');
  assert.equal(fresh(`import './src/adapters/linear-regexp-engine.ts'; ${CORE}${TRY_COMPILE}`), 'no match');
  assert.equal(fresh(`${CORE} import { ReadinessWatch } from './src/app/readiness.ts'; void ReadinessWatch;${TRY_COMPILE}`), 'no match');
});
