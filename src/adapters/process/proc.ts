/**
 * What Linux's /proc says about processes: the fields of /proc/<pid>/stat lb-dev needs
 * (state, parent, process group, start time), /proc/<pid>/environ, and which TCP ports a
 * process tree listens on (/proc/net/tcp{,6} + /proc/<pid>/fd socket inodes). Elsewhere (no
 * /proc) the readers answer null, and callers fall back on kill(pid, 0) or find nothing.
 */
import { readFileSync } from 'node:fs';
import { readdir, readFile, readlink } from 'node:fs/promises';

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
  return links.map((link) => /^socket:\[(\d+)\]$/.exec(link)?.[1]).filter((inode): inode is string => inode !== undefined).map(Number);
}

/** `root` and every process below it (by parent links, or in its process group); pure over a process list. */
export function treeOf(root: number, processes: readonly ProcStat[]): number[] {
  const tree = new Set([root]);
  for (let grew = true; grew;) {
    grew = false;
    for (const p of processes) {
      if (tree.has(p.pid) || !isRunning(p)) continue;
      if (tree.has(p.ppid) || p.pgid === root) {
        tree.add(p.pid);
        grew = true;
      }
    }
  }
  return [...tree];
}

/** The TCP ports the process tree under `root` listens on, sorted; null when /proc cannot tell. */
export async function portsListenedByTree(root: number): Promise<number[] | null> {
  const [sockets, processes] = await Promise.all([listeningSockets(), listProcesses()]);
  if (sockets === null || processes === null) return null;
  const inodes = (await Promise.all(treeOf(root, processes).map(socketInodes))).flat();
  return [...new Set(inodes.map((inode) => sockets.get(inode)).filter((port): port is number => port !== undefined))].sort((a, b) => a - b);
}

/** Whether anything (any process) listens on TCP `port` here; null when /proc cannot tell. */
export async function somethingListensOn(port: number): Promise<boolean | null> {
  const sockets = await listeningSockets();
  return sockets === null ? null : [...sockets.values()].includes(port);
}
