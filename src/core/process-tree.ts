/**
 * The process table as plain data, and the one walk of it: which processes belong to a tree.
 * Every part that asks "what is below this pid" (stopping a tree, the lifeline's reaper, the
 * start-timeout diagnosis) walks with treeOf.
 */

/** One row of the process table, as /proc or `ps` tells it. */
export interface ProcessRow {
  pid: number;
  ppid: number;
  pgid: number;
  /**
   * Seconds since the epoch when the process started (whole seconds: what `ps -o lstart` can
   * say). With the pid, it tells a process from a later one that reused the pid.
   */
  startTime: number;
  /** `R` running, `S` sleeping, `T` stopped, `Z` zombie, `X` dead... (the first letter of ps's `stat`). */
  state: string;
  /** The executable's name (Linux: the kernel's 15-character `comm`; macOS ps: its path). */
  command: string;
}

/** Neither a zombie waiting to be reaped nor dead: a zombie holds no port, file or memory. */
export function isLive(row: Pick<ProcessRow, 'state'>): boolean {
  return row.state !== 'Z' && row.state !== 'X';
}

export type TreeNode = Pick<ProcessRow, 'pid' | 'ppid' | 'pgid'>;

/** Where a tree starts: these pids, and every member of these process groups. */
export interface TreeRoots {
  pids?: readonly number[];
  groups?: readonly number[];
}

/**
 * The rows of `roots` and of everything below them by parent links, each once, roots first.
 * The groups catch members whose parent died (re-parented to init, no parent link leads to
 * them); the parent links catch descendants that moved to a group of their own (setsid).
 * Callers drop zombies first where they must (a zombie has no children left to walk to).
 */
export function treeOf<T extends TreeNode>(rows: readonly T[], roots: TreeRoots): T[] {
  const pids = new Set(roots.pids ?? []);
  const groups = new Set(roots.groups ?? []);
  const children = new Map<number, T[]>();
  for (const row of rows) {
    const siblings = children.get(row.ppid);
    if (siblings) siblings.push(row);
    else children.set(row.ppid, [row]);
  }
  const tree = rows.filter((row) => pids.has(row.pid) || groups.has(row.pgid));
  const seen = new Set([...pids, ...tree.map((row) => row.pid)]);
  // A root pid with no row (it exited while the table was read) still leads to its children.
  const walk = [...pids, ...tree.map((row) => row.pid)];
  for (let next = 0; next < walk.length; next++) {
    for (const child of children.get(walk[next]!) ?? []) {
      if (seen.has(child.pid)) continue;
      seen.add(child.pid);
      tree.push(child);
      walk.push(child.pid);
    }
  }
  return tree;
}
