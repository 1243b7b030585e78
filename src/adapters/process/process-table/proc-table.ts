/**
 * The process table from Linux's /proc: no tool call, nothing to load. Start times are the
 * boot time (read once per table: it moves only when the wall clock is stepped) plus field 22
 * of /proc/<pid>/stat in whole seconds, which is how `ps -o lstart` computes them.
 */
import type { ProcessRow } from '../../../core/process-tree.js';
import { type ProcStat, listPids, listeningSockets, readBootTime, readEnviron, readProcStat, socketInodes } from '../proc.js';
import type { ProcessEnvironment, ProcessTable } from './process-table.js';

/** USER_HZ: the unit of /proc's start times, 100 on every architecture Node runs on under Linux. */
const TICKS_PER_SECOND = 100;

/** Environments read at once: few descriptors, and most of the time of one-at-a-time saved. */
const ENVIRON_BATCH = 32;

const sortedUnique = (ports: Iterable<number>) => [...new Set(ports)].sort((a, b) => a - b);

export function procTable(): ProcessTable {
  let bootTime: Promise<number> | undefined;
  // Without /proc/stat the start times count from boot: still unique per pid, not comparable with ps.
  const boot = () => (bootTime ??= readBootTime().then((time) => time ?? 0));
  const toRow = (stat: ProcStat, booted: number): ProcessRow => ({
    pid: stat.pid,
    ppid: stat.ppid,
    pgid: stat.pgid,
    state: stat.state,
    command: stat.command,
    startTime: booted + Math.floor(stat.startTime / TICKS_PER_SECOND),
  });
  const environmentOf = async (pid: number): Promise<ProcessEnvironment | null> => {
    const entries = await readEnviron(pid);
    if (entries === null) return null;
    const set = new Set(entries);
    return { includes: (entry) => set.has(entry) };
  };
  return {
    kind: 'proc',
    async list() {
      const pids = await listPids();
      if (pids === null) return null;
      const [booted, stats] = await Promise.all([boot(), Promise.all(pids.map(readProcStat))]);
      return stats.filter((stat): stat is ProcStat => stat !== null).map((stat) => toRow(stat, booted));
    },
    async row(pid) {
      const [booted, stat] = await Promise.all([boot(), readProcStat(pid)]);
      return stat === null ? null : toRow(stat, booted);
    },
    environmentOf,
    async pidsWithEnvironment(entries) {
      const pids = (await listPids()) ?? [];
      const found: number[] = [];
      // In batches: one at a time took ~65 ms for 350 processes (every stop and crash sweeps), all at once could run out of descriptors.
      for (let start = 0; start < pids.length; start += ENVIRON_BATCH) {
        const batch = pids.slice(start, start + ENVIRON_BATCH);
        const environments = await Promise.all(batch.map(environmentOf));
        batch.forEach((pid, index) => {
          const environment = environments[index];
          if (environment && entries.every((entry) => environment.includes(entry))) found.push(pid);
        });
      }
      return found;
    },
    async listeningPorts(pids) {
      const sockets = await listeningSockets();
      if (sockets === null) return null;
      if (pids === undefined) return sortedUnique(sockets.values());
      const inodes = (await Promise.all(pids.map(socketInodes))).flat();
      return sortedUnique(inodes.map((inode) => sockets.get(inode)).filter((port): port is number => port !== undefined));
    },
  };
}
