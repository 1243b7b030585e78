/**
 * Whether a file changed, for restart triggers: polled by its modification time, because a
 * rebuild replaces the file (a rename) and an inotify watch on the old inode would miss that.
 */
import { statSync, unwatchFile, watchFile, type Stats } from 'node:fs';

/** The file's modification time as an ISO timestamp (the "build" of what runs it), or null when it does not exist. */
export function fileStamp(file: string): string | null {
  try {
    return new Date(statSync(file).mtimeMs).toISOString();
  } catch {
    return null;
  }
}

/** Calls onChange when the file appears or its modification time changes; returns the unwatch. */
export function watchFileChanges(file: string, onChange: () => void, intervalMs = 250): () => void {
  const listener = (current: Stats, previous: Stats) => {
    if (current.mtimeMs !== 0 && current.mtimeMs !== previous.mtimeMs) onChange();
  };
  watchFile(file, { interval: intervalMs, persistent: false }, listener);
  return () => unwatchFile(file, listener);
}
