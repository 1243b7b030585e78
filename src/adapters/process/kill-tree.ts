/**
 * Killing a whole process tree. Two nets, because each misses something:
 * - the process group (we spawn every instance as a group leader) catches descendants whose
 *   parent already died and were re-parented to init, which a parent/child walk cannot find;
 * - a walk of the parent/child links (treeOf over the process table, from the leader and the
 *   group's members) catches descendants that moved to a group of their own.
 * Each process gets a signal once: the walk only signals those outside the group. A second
 * SIGTERM would cut an app's graceful shutdown short (`process.once('SIGTERM')`, or "press
 * Ctrl-C again to force" in many dev servers).
 */
import { isLive, treeOf } from '../../core/process-tree.js';
import { pollUntil } from '../poll.js';
import { processTable } from './process-table/choose.js';

function signalGroup(pgid: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch {
    return false; // ESRCH: the group has no process left
  }
}

/** Descendants of `pid` and of its group's members that are not in its process group: the group signal misses them. */
async function descendantsOutsideGroup(pid: number): Promise<number[]> {
  const rows = await processTable().list();
  if (rows === null) return []; // no process table: the group signal is all we have
  return treeOf(rows.filter(isLive), { pids: [pid], groups: [pid] })
    .filter((row) => row.pgid !== pid)
    .map((row) => row.pid);
}

/** Is any process of the group (or the leader itself) still there? Zombies count: see groupLive(). */
export function groupAlive(pgid: number): boolean {
  return signalGroup(pgid, 0);
}

/**
 * Is any process of the group still running? kill(-pgid, 0) also succeeds while only zombies
 * are left: killed orphans wait for init to reap them, which a container's init may do late
 * (every second or so) or never. A zombie holds no port, file or memory, so waiting for it
 * only delays stops and restarts. The process table is read only when kill says the group is
 * there; a table that cannot tell leaves the kill answer standing.
 */
export async function groupLive(pgid: number): Promise<boolean> {
  if (!groupAlive(pgid)) return false;
  const rows = await processTable().list();
  return rows === null || rows.some((row) => row.pgid === pgid && isLive(row));
}

/** POSIX only, like the rest of lb-dev's process handling (process groups, `sh -c`, `exec`). */
export async function signalProcessTree(pid: number, signal: NodeJS.Signals): Promise<void> {
  await signalTree(pid, signal);
}

/**
 * Signals the group and the descendants outside it; returns those (so a stop can follow them
 * up). The walk comes first (one read of the process table): once the signal has ended their parents, those
 * descendants are re-parented to init and no walk finds them any more.
 */
async function signalTree(pid: number, signal: NodeJS.Signals): Promise<number[]> {
  const outside = await descendantsOutsideGroup(pid);
  signalGroup(pid, signal);
  for (const descendant of outside) signalPid(descendant, signal);
  return outside;
}

function signalPid(pid: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(pid, signal);
    return true;
  } catch {
    return false;
  }
}

/** Alive and not a zombie: kill(pid, 0) finds it and the process table shows it live. */
async function pidLive(pid: number): Promise<boolean> {
  if (!signalPid(pid, 0)) return false;
  const row = await processTable().row(pid);
  return row !== null && isLive(row);
}

/** Polls `check` (every 20 ms at first, backing off to 200 ms: each check reads the process table) until true or timeoutMs. */
async function waitUntil(check: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
  return (await pollUntil(check, { timeoutMs, intervalMs: 20, maxIntervalMs: 200 })).outcome === 'met';
}

/**
 * SIGTERM (and SIGCONT, so that a frozen tree can act on it), then SIGKILL after graceMs
 * to whatever is left. Resolves once the leader has exited and the group is empty.
 */
export async function stopProcessTree(pid: number, exited: Promise<unknown>, graceMs: number): Promise<void> {
  let leaderDone = false;
  void exited.then(() => {
    leaderDone = true;
  });
  // Descendants outside the group are remembered: once their parent is gone, no walk finds them.
  let outside: number[] = [];
  const gone = async () => leaderDone && !(await groupLive(pid)) && (await Promise.all(outside.map(pidLive))).every((live) => !live);
  if (await gone()) return;
  outside = await signalTree(pid, 'SIGTERM');
  signalGroup(pid, 'SIGCONT');
  for (const descendant of outside) signalPid(descendant, 'SIGCONT');
  if (await waitUntil(gone, graceMs)) return;
  const more = await signalTree(pid, 'SIGKILL');
  for (const descendant of outside) signalPid(descendant, 'SIGKILL');
  outside = [...new Set([...outside, ...more])];
  await waitUntil(gone, 5_000);
}

/** Kills whatever is left of a group whose leader already exited (orphans holding ports). */
export async function reapOrphans(pgid: number, graceMs: number): Promise<void> {
  const gone = async () => !(await groupLive(pgid));
  if (await gone()) return;
  signalGroup(pgid, 'SIGTERM');
  signalGroup(pgid, 'SIGCONT');
  if (await waitUntil(gone, graceMs)) return;
  signalGroup(pgid, 'SIGKILL');
  await waitUntil(gone, 5_000);
}
