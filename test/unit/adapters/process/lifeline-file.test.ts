// The lifeline's record after a failed write: the error reaches the caller (which warns), the
// last good record stays, and no lifeline.json.tmp is left in the state dir - neither when the
// disk is full in mid-write (ENOSPC, from /dev/full) nor when the rename is refused.
import assert from 'node:assert/strict';
import { existsSync, lstatSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { emptyRecord } from '../../../../src/core/lifeline.js';
import { readRecordAt, recordFileOf, writeRecordSync } from '../../../../src/adapters/process/lifeline-file.js';

const dirs: string[] = [];
after(() => Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true }))));

async function stateDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'lbdlf-'));
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

test('a write that fails with ENOSPC (the disk full) throws it, keeps the last record and leaves no lifeline.json.tmp', {
  skip: !existsSync('/dev/full') && 'no /dev/full here',
}, async () => {
  const dir = await stateDir();
  const good = { ...emptyRecord(), groups: new Map([[4242, 123_456]]) };
  writeRecordSync(dir, good);
  const before = readFileSync(recordFileOf(dir), 'utf8');
  // The temp file's writes go to /dev/full: every write(2) fails with ENOSPC, as on a full disk.
  symlinkSync('/dev/full', `${recordFileOf(dir)}.tmp`);
  assert.throws(
    () => writeRecordSync(dir, { ...good, groups: new Map([...good.groups, [4343, 123_457]]) }),
    (error: NodeJS.ErrnoException) => error.code === 'ENOSPC',
  );
  assert.equal(present(`${recordFileOf(dir)}.tmp`), false, 'lifeline.json.tmp is gone');
  assert.equal(readFileSync(recordFileOf(dir), 'utf8'), before, 'the last good record is untouched');
  assert.deepEqual(readRecordAt(recordFileOf(dir)), { record: good });
});

test('a write whose rename is refused (lifeline.json is a directory) throws and leaves no lifeline.json.tmp', async () => {
  const dir = await stateDir();
  mkdirSync(recordFileOf(dir));
  writeFileSync(join(recordFileOf(dir), 'keep'), 'x');
  assert.throws(
    () => writeRecordSync(dir, emptyRecord()),
    (error: NodeJS.ErrnoException) => ['EISDIR', 'ENOTEMPTY', 'EEXIST'].includes(error.code ?? ''),
  );
  assert.equal(present(`${recordFileOf(dir)}.tmp`), false, 'lifeline.json.tmp is gone');
  // Once the obstacle is gone, the next write works.
  await rm(recordFileOf(dir), { recursive: true });
  writeRecordSync(dir, emptyRecord());
  assert.deepEqual(readRecordAt(recordFileOf(dir)), { record: emptyRecord() });
});
