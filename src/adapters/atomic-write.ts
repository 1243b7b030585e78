/**
 * lb-dev's one atomic file write: the content into a temp file, then a rename over the target,
 * so that a reader (Traefik's file watcher, the lifeline's reaper) sees the whole old file or the
 * whole new one, never half of either. Synchronous: both writers are on paths where an await
 * would queue behind other work (a route change after a crash, a group recorded right after a
 * spawn). No fsync: the files have to outlive a process, not the machine.
 *
 * On any failure - the disk full in mid-write (ENOSPC), a rename refused - the temp file is
 * removed before the error is thrown: a failed write leaves nothing `*.tmp` behind.
 */
import { closeSync, openSync, renameSync, rmSync, writeFileSync } from 'node:fs';

export interface AtomicWriteOptions {
  /** Where the content is written first: on the target's filesystem (the rename must not cross one). */
  tempPath: string;
  /** The mode of a new file (0o600: owner-only). */
  mode: number;
}

/** Throws what the file system says, after removing the temp file. */
export function writeFileAtomicSync(path: string, content: string, options: AtomicWriteOptions): void {
  try {
    const fd = openSync(options.tempPath, 'w', options.mode);
    try {
      writeFileSync(fd, content, 'utf8');
    } finally {
      closeSync(fd);
    }
    renameSync(options.tempPath, path);
  } catch (error) {
    try {
      rmSync(options.tempPath, { force: true });
    } catch {
      // Something else of that name (a directory) is not ours to remove; the write's error is what matters.
    }
    throw error;
  }
}
