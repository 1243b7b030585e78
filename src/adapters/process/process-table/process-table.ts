/**
 * What lb-dev asks about processes, behind one interface with two answers: /proc (Linux,
 * proc-table.ts) and `ps` + `lsof` (macOS, and Linux without /proc: ps-table.ts). choose.ts
 * picks one per process. The tree walk is not the tables' business: treeOf (src/core) walks
 * the rows either table lists.
 */
import { type ProcessRow, isLive, treeOf } from '../../../core/process-tree.js';

export type ProcessTableKind = 'proc' | 'portable';

/** A process's environment as it was started: asked entry by entry (`ps` shows it as one line of text). */
export interface ProcessEnvironment {
  /** Whether the environment holds exactly `entry` (`NAME=value`). */
  includes(entry: string): boolean;
}

export interface ProcessTable {
  readonly kind: ProcessTableKind;
  /** Every process this table can see, zombies included; null when it cannot tell at all (no /proc, no ps). */
  list(): Promise<ProcessRow[] | null>;
  /** The row of one process; null when it is gone (or the table cannot tell). */
  row(pid: number): Promise<ProcessRow | null>;
  /**
   * The environment `pid` was started with; null when it is gone (/proc: or not readable). Only
   * the user's own processes have a readable one (another user's is shown to root alone);
   * ps prints an unreadable environment as none, so there it holds no entry.
   */
  environmentOf(pid: number): Promise<ProcessEnvironment | null>;
  /**
   * The pids whose environment holds every one of `entries` (`NAME=value`), among the processes
   * whose environment is readable: one scan of every process (a marker, src/core/process-marker.ts).
   */
  pidsWithEnvironment(entries: readonly string[]): Promise<number[]>;
  /**
   * The TCP ports in LISTEN that processes hold: those of `pids`, or anyone's when pids is not
   * given (lsof sees only what it may read: the user's own processes unless root). Sorted,
   * each once; null when the table cannot tell (no /proc/net/tcp, no lsof).
   */
  listeningPorts(pids?: readonly number[]): Promise<number[] | null>;
}

/** The live processes of `root`'s tree: root, its process group, and everything below by parent links; null when the table cannot tell. */
export async function liveTreeOf(table: ProcessTable, root: number): Promise<ProcessRow[] | null> {
  const rows = await table.list();
  return rows === null ? null : treeOf(rows.filter(isLive), { pids: [root], groups: [root] });
}

/** The TCP ports the process tree under `root` listens on, sorted; null when the table cannot tell. */
export async function portsOfTree(table: ProcessTable, root: number): Promise<number[] | null> {
  const tree = await liveTreeOf(table, root);
  return tree === null ? null : table.listeningPorts(tree.map((row) => row.pid));
}

/** When `pid` started (seconds since the epoch); null when it is gone or the table cannot tell. */
export async function startTimeOf(table: ProcessTable, pid: number): Promise<number | null> {
  return (await table.row(pid))?.startTime ?? null;
}
