/**
 * What Linux's /proc says about processes: the fields of /proc/<pid>/stat lb-dev needs
 * (state, parent, process group, start time) and /proc/<pid>/environ. Elsewhere (no
 * /proc) the readers answer null, and callers fall back on kill(pid, 0) or find nothing.
 */
import { readFileSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';

export interface ProcStat {
  pid: number;
  /** `R` running, `S` sleeping, `T` stopped, `Z` zombie, `X` dead... */
  state: string;
  ppid: number;
  pgid: number;
  /** Clock ticks after boot: with the pid, tells a process from a later one that reused the pid. */
  startTime: number;
}

/** Parses the text of /proc/<pid>/stat; null when it is not one. */
export function parseProcStat(text: string): ProcStat | null {
  // The command (field 2) may hold spaces and parentheses: the other fields start after the last ')'.
  const close = text.lastIndexOf(')');
  if (close === -1) return null;
  const pid = Number.parseInt(text, 10);
  const fields = text.slice(close + 2).split(' ');
  const [state, ppid, pgid, startTime] = [fields[0], Number(fields[1]), Number(fields[2]), Number(fields[19])];
  if (!state || !Number.isInteger(pid) || ![ppid, pgid, startTime].every(Number.isInteger)) return null;
  return { pid, state, ppid, pgid, startTime };
}

/** Still running: neither a zombie waiting to be reaped nor dead. A zombie holds no port, file or memory. */
export function isRunning(stat: ProcStat): boolean {
  return stat.state !== 'Z' && stat.state !== 'X';
}

/** The stat of `pid`; null when it is gone, not readable, or there is no /proc. */
export async function readProcStat(pid: number): Promise<ProcStat | null> {
  try {
    return parseProcStat(await readFile(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return null;
  }
}

/** readProcStat for a caller that cannot wait (the lifeline records a start time as a group is spawned). */
export function readProcStatSync(pid: number): ProcStat | null {
  try {
    return parseProcStat(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return null;
  }
}

/** The pids in /proc; null when there is no /proc to read. */
export async function listPids(): Promise<number[] | null> {
  try {
    return (await readdir('/proc')).filter((entry) => /^\d+$/.test(entry)).map(Number);
  } catch {
    return null;
  }
}

/** The stat of every process that can be read; null when there is no /proc. */
export async function listProcesses(): Promise<ProcStat[] | null> {
  const pids = await listPids();
  if (pids === null) return null;
  const stats = await Promise.all(pids.map(readProcStat));
  return stats.filter((stat): stat is ProcStat => stat !== null);
}

/** The environment `pid` was started with, as `NAME=value` entries; null when gone or not ours to read. */
export async function readEnviron(pid: number): Promise<string[] | null> {
  try {
    return (await readFile(`/proc/${pid}/environ`, 'utf8')).split('\0').filter((entry) => entry !== '');
  } catch {
    return null;
  }
}
