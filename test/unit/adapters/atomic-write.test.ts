// The one atomic write: the whole new content or the old file, and after a failure at any step
// (the temp file cannot be opened, a write hits ENOSPC, the rename is refused) no temp file left.
import assert from 'node:assert/strict';
import { existsSync, lstatSync, mkdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { writeFileAtomicSync } from '../../../src/adapters/atomic-write.js';

const dirs: string[] = [];
after(() => Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true }))));

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'lbdaw-'));
  dirs.push(dir);
  return dir;
}

const present = (path: string): boolean => {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
};

test('writes the content with the mode through the temp file, which is gone afterwards', async () => {
  const dir = await tempDir();
  const path = join(dir, 'f.json');
  writeFileAtomicSync(path, 'one', { tempPath: `${path}.tmp`, mode: 0o600 });
  writeFileAtomicSync(path, 'two', { tempPath: `${path}.tmp`, mode: 0o600 });
  assert.equal(readFileSync(path, 'utf8'), 'two');
  assert.equal(statSync(path).mode & 0o777, 0o600);
  assert.equal(present(`${path}.tmp`), false);
});

test('ENOSPC in mid-write: thrown, the old file kept, no temp file', { skip: !existsSync('/dev/full') && 'no /dev/full here' }, async () => {
  const dir = await tempDir();
  const path = join(dir, 'f.json');
  writeFileSync(path, 'old');
  symlinkSync('/dev/full', `${path}.tmp`);
  assert.throws(
    () => writeFileAtomicSync(path, 'new', { tempPath: `${path}.tmp`, mode: 0o600 }),
    (e: NodeJS.ErrnoException) => e.code === 'ENOSPC',
  );
  assert.equal(present(`${path}.tmp`), false);
  assert.equal(readFileSync(path, 'utf8'), 'old');
});

test('a refused rename: thrown, no temp file; a temp path that is a directory is left alone and the open error thrown', async () => {
  const dir = await tempDir();
  const target = join(dir, 'target');
  mkdirSync(target);
  writeFileSync(join(target, 'inside'), 'x');
  assert.throws(
    () => writeFileAtomicSync(target, 'new', { tempPath: `${target}.tmp`, mode: 0o600 }),
    (e: NodeJS.ErrnoException) => typeof e.code === 'string',
  );
  assert.equal(present(`${target}.tmp`), false);

  const busy = join(dir, 'busy.tmp');
  mkdirSync(busy);
  assert.throws(
    () => writeFileAtomicSync(join(dir, 'other'), 'new', { tempPath: busy, mode: 0o600 }),
    (e: NodeJS.ErrnoException) => e.code === 'EISDIR',
  );
  assert.equal(statSync(busy).isDirectory(), true, 'not ours: kept');
  assert.equal(present(join(dir, 'other')), false);
});
