/**
 * The process table as the lifeline needs it, read from /proc/<pid>/stat (Linux only;
 * elsewhere there is no table and callers fall back to unverified group kills).
 */
import { readFileSync, readdirSync } from 'node:fs';
import type { ProcessInfo } from '../../core/lifeline.js';

/** Parses /proc/<pid>/stat; the command (field 2) may hold spaces and parentheses. */
export function parseProcStat(pid: number, stat: string): ProcessInfo | null {
  // After the last ')' come field 3 (state), 4 (ppid), 5 (pgrp)... 22 (starttime).
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ppid = Number(fields[1]);
  const pgid = Number(fields[2]);
  const startTime = Number(fields[19]);
  if (!Number.isSafeInteger(ppid) || !Number.isSafeInteger(pgid) || !Number.isSafeInteger(startTime)) return null;
  // A zombie is already dead: nothing to kill, and its pid is not reusable until reaped.
  if (fields[0] === 'Z' || fields[0] === 'X') return null;
  return { pid, ppid, pgid, startTime };
}

function readStat(pid: number): ProcessInfo | null {
  try {
    return parseProcStat(pid, readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return null; // gone, or no /proc
  }
}

/** The start time of `pid` (clock ticks after boot), or null when it is gone or there is no /proc. */
export function processStartTime(pid: number): number | null {
  return readStat(pid)?.startTime ?? null;
}

/** Every live process, or null when there is no /proc to read. */
export function readProcessTable(): ProcessInfo[] | null {
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return null;
  }
  const table: ProcessInfo[] = [];
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    const info = readStat(Number(entry));
    if (info) table.push(info);
  }
  return table;
}
