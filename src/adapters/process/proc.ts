/**
 * What Linux's /proc says about processes: the fields of /proc/<pid>/stat lb-dev needs
 * (state, parent, process group, start time, name), the boot time, /proc/<pid>/environ, and
 * the listening TCP sockets (/proc/net/tcp{,6}) with the socket inodes a process holds
 * (/proc/<pid>/fd). The readers answer null where there is no /proc; proc-table.ts builds the
 * /proc ProcessTable from them.
 */
import { readdir, readFile, readlink } from 'node:fs/promises';

export interface ProcStat {
  pid: number;
  /** `R` running, `S` sleeping, `T` stopped, `Z` zombie, `X` dead... */
  state: string;
  ppid: number;
  pgid: number;
  /** Clock ticks after boot (field 22). */
  startTime: number;
  /** The kernel's name for it (field 2, `comm`: at most 15 characters). */
  command: string;
}

/** Parses the text of /proc/<pid>/stat; null when it is not one. */
export function parseProcStat(text: string): ProcStat | null {
  // The command (field 2) may hold spaces and parentheses: the other fields start after the last ')'.
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  if (open === -1 || close < open) return null;
  const pid = Number.parseInt(text, 10);
  const fields = text.slice(close + 2).split(' ');
  const [state, ppid, pgid, startTime] = [fields[0], Number(fields[1]), Number(fields[2]), Number(fields[19])];
  if (!state || !Number.isInteger(pid) || ![ppid, pgid, startTime].every(Number.isInteger)) return null;
  return { pid, state, ppid, pgid, startTime, command: text.slice(open + 1, close) };
}

/** The stat of `pid`; null when it is gone, not readable, or there is no /proc. */
export async function readProcStat(pid: number): Promise<ProcStat | null> {
  try {
    return parseProcStat(await readFile(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return null;
  }
}

/** The `btime` line of /proc/stat: when the machine booted, in seconds since the epoch; null when absent. */
export function parseBootTime(text: string): number | null {
  const match = /^btime (\d+)$/m.exec(text);
  return match ? Number(match[1]) : null;
}

/** When the machine booted (seconds since the epoch); null without /proc. */
export async function readBootTime(): Promise<number | null> {
  try {
    return parseBootTime(await readFile('/proc/stat', 'utf8'));
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

/** The environment `pid` was started with, as `NAME=value` entries; null when gone or not ours to read. */
export async function readEnviron(pid: number): Promise<string[] | null> {
  try {
    return (await readFile(`/proc/${pid}/environ`, 'utf8')).split('\0').filter((entry) => entry !== '');
  } catch {
    return null;
  }
}

/**
 * The listening TCP sockets in the text of /proc/net/tcp or /proc/net/tcp6: socket inode ->
 * local port. State 0A is LISTEN; addresses are `HEXADDR:HEXPORT`.
 */
export function parseListeningSockets(text: string): Map<number, number> {
  const sockets = new Map<number, number>();
  for (const row of text.split('\n').slice(1)) {
    const fields = row.trim().split(/\s+/);
    if (fields.length < 10 || fields[3] !== '0A') continue;
    const port = Number.parseInt(fields[1]!.split(':')[1] ?? '', 16);
    const inode = Number(fields[9]);
    if (Number.isInteger(port) && Number.isInteger(inode) && inode > 0) sockets.set(inode, port);
  }
  return sockets;
}

/** Every listening TCP socket of this network namespace (IPv4 and IPv6); null when there is no /proc. */
export async function listeningSockets(): Promise<Map<number, number> | null> {
  const tables = await Promise.all(['/proc/net/tcp', '/proc/net/tcp6'].map((path) => readFile(path, 'utf8').catch(() => null)));
  if (tables.every((table) => table === null)) return null;
  const sockets = new Map<number, number>();
  for (const table of tables) if (table !== null) for (const [inode, port] of parseListeningSockets(table)) sockets.set(inode, port);
  return sockets;
}

/** The socket inodes `pid` holds open (its /proc/<pid>/fd links `socket:[inode]`); empty when gone or not ours. */
export async function socketInodes(pid: number): Promise<number[]> {
  let fds: string[];
  try {
    fds = await readdir(`/proc/${pid}/fd`);
  } catch {
    return [];
  }
  const links = await Promise.all(fds.map((fd) => readlink(`/proc/${pid}/fd/${fd}`).catch(() => '')));
  return links
    .map((link) => /^socket:\[(\d+)\]$/.exec(link)?.[1])
    .filter((inode): inode is string => inode !== undefined)
    .map(Number);
}
