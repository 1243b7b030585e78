/**
 * `lb-dev logs` after `up` has ended: the last lines of each source read from the log files
 * the run left in the state dir (logs/<source>.log and its rotated .1, .2 ...).
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { type LogLine, parseFileLine } from '../adapters/logs/log-line.js';
import { readTail } from '../adapters/logs/rotating-file.js';

/** null when there is no logs directory (no run ever wrote there). */
export async function readLogFiles(logsDir: string, wanted: readonly string[], n: number, since: number): Promise<LogLine[] | null> {
  let names: string[];
  try {
    names = await readdir(logsDir);
  } catch {
    return null;
  }
  const sources = names
    .filter((name) => name.endsWith('.log'))
    .map((name) => name.slice(0, -'.log'.length))
    .sort();
  const chosen = wanted.length ? wanted.map((name) => resolveOffline(name, sources)) : sources;
  const perSource = await Promise.all(
    chosen.map(async (source) => {
      const rotated = names.filter((name) => name.startsWith(`${source}.log.`)).length;
      const raw = await readTail(join(logsDir, `${source}.log`), rotated, n).catch(() => [] as string[]);
      return raw.map((line) => parseFileLine(line, source)).filter((line): line is LogLine => line !== null);
    }),
  );
  const merged = perSource.flat().filter((line) => line.time >= since);
  // A stable sort keeps each file's own order within the same millisecond.
  merged.sort((a, b) => a.time - b.time);
  return merged.slice(Math.max(0, merged.length - n));
}

/** `2` -> the first source named `<group>-2` (the config's group order is not known here). */
function resolveOffline(name: string, sources: readonly string[]): string {
  if (!/^\d+$/.test(name)) return name;
  return sources.find((source) => source.endsWith(`-${name}`) && /^[a-z][a-z0-9-]*-\d+$/.test(source)) ?? name;
}
