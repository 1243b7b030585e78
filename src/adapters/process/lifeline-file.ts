/**
 * The lifeline's record file, `<stateDir>/lifeline.json`: what the reaper must clean if `up`
 * dies. `up` rewrites it on every change, synchronously - a group recorded right after a spawn
 * must be on disk before anything can kill `up` - and atomically (a temp file renamed over it,
 * adapters/atomic-write.ts), so the reaper never reads half a record and a failed write leaves no
 * `lifeline.json.tmp`. No fsync: the file has to survive `up`'s death, not
 * the machine's, and the page cache outlives any process.
 */
import { readFileSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { type LifelineRecord, parseRecord, serializeRecord } from '../../core/lifeline.js';
import { writeFileAtomicSync } from '../atomic-write.js';

export const recordFileOf = (stateDir: string): string => join(stateDir, 'lifeline.json');

/** Throws what the file system says (the caller decides how loud to be). */
export function writeRecordSync(stateDir: string, record: LifelineRecord): void {
  const file = recordFileOf(stateDir);
  writeFileAtomicSync(file, serializeRecord(record), { tempPath: `${file}.tmp`, mode: 0o600 });
}

/**
 * The reaper takes the record for itself (renamed to `lifeline.json.<pid>`) before it reads it:
 * a new `up` in the same state dir may start meanwhile and write its own `lifeline.json`, which
 * the reaper must neither read nor delete. Returns the claimed path, or why there is none.
 */
export function claimRecord(stateDir: string, pid: number): { path: string } | { problem: string } {
  const path = `${recordFileOf(stateDir)}.${pid}`;
  try {
    renameSync(recordFileOf(stateDir), path);
    return { path };
  } catch (error) {
    return { problem: `could not take ${recordFileOf(stateDir)}: ${(error as Error).message}` };
  }
}

/** The record at `path`, or why there is none to trust (unreadable, garbled). */
export function readRecordAt(path: string): { record: LifelineRecord } | { problem: string } {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    return { problem: `could not read ${path}: ${(error as Error).message}` };
  }
  const parsed = parseRecord(text);
  return 'problem' in parsed ? { problem: `${path}: ${parsed.problem}` } : parsed;
}

export function removeRecord(stateDir: string): void {
  rmSync(recordFileOf(stateDir), { force: true });
}
