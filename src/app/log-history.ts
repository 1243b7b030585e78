/**
 * The last N lines of some sources for `lb-dev logs -n N`: from memory (the ring buffers)
 * and, when a source's ring holds fewer than N, older ones from its log files.
 */
import type { LogHub } from '../adapters/logs/log-hub.js';
import { type LogLine, parseFileLine } from '../adapters/logs/log-line.js';
import { readTail } from '../adapters/logs/rotating-file.js';

export async function logHistory(hub: LogHub, sources: readonly string[] | null, n: number, maxFiles: number, since: number): Promise<LogLine[]> {
  const names = sources ?? hub.sources();
  const perSource = await Promise.all(
    names.map(async (source) => {
      const inMemory = hub.recent([source], n);
      if (inMemory.length >= n) return inMemory;
      const fromFile = (await readTail(hub.filePath(source), maxFiles, n + inMemory.length).catch(() => [] as string[]))
        .map((raw) => parseFileLine(raw, source))
        .filter((line): line is LogLine => line !== null);
      const older = linesBefore(fromFile, inMemory[0]);
      return [...older.slice(Math.max(0, older.length - (n - inMemory.length))), ...inMemory];
    }),
  );
  // Merge by time; lines from memory keep their arrival order (seq) within the same millisecond.
  const merged = perSource.flat().filter((line) => line.time >= since);
  merged.sort((a, b) => a.time - b.time || a.seq - b.seq);
  return merged.slice(Math.max(0, merged.length - n));
}

/**
 * The file also holds (most of) what is in memory: cut it where the oldest line in memory
 * starts. Lines written in the same millisecond make time alone ambiguous, so match the
 * whole line, searching from the end; if it is not on disk yet, fall back to time.
 */
function linesBefore(fromFile: LogLine[], first: LogLine | undefined): LogLine[] {
  if (!first) return fromFile;
  for (let i = fromFile.length - 1; i >= 0; i--) {
    const line = fromFile[i]!;
    if (line.time === first.time && line.stream === first.stream && line.text === first.text) return fromFile.slice(0, i);
  }
  return fromFile.filter((line) => line.time < first.time);
}
