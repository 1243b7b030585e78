/**
 * Killing a whole process tree. Two nets, because each misses something:
 * - the process group (we spawn every instance as a group leader) catches descendants whose
 *   parent already died and were re-parented to init, which a parent/child walk cannot find;
 * - tree-kill's walk of the parent/child links catches descendants that moved to a group of
 *   their own.
 */
import treeKill from 'tree-kill';

function signalGroup(pgid: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch {
    return false; // ESRCH: the group has no process left
  }
}

function treeKillAsync(pid: number, signal: NodeJS.Signals): Promise<void> {
  return new Promise((resolve) => treeKill(pid, signal, () => resolve()));
}

/** Is any process of the group (or the leader itself) still there? */
export function groupAlive(pgid: number): boolean {
  return signalGroup(pgid, 0);
}

export async function signalProcessTree(pid: number, signal: NodeJS.Signals): Promise<void> {
  const walk = treeKillAsync(pid, signal);
  signalGroup(pid, signal);
  await walk;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitUntil(check: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (check()) return true;
    await sleep(20);
  }
  return check();
}

/**
 * SIGTERM (and SIGCONT, so that a frozen tree can act on it), then SIGKILL after graceMs
 * to whatever is left. Resolves once the leader has exited and the group is empty.
 */
export async function stopProcessTree(pid: number, exited: Promise<unknown>, graceMs: number): Promise<void> {
  let leaderDone = false;
  void exited.then(() => { leaderDone = true; });
  const gone = () => leaderDone && !groupAlive(pid);
  if (gone()) return;
  await signalProcessTree(pid, 'SIGTERM');
  signalGroup(pid, 'SIGCONT');
  if (await waitUntil(gone, graceMs)) return;
  await signalProcessTree(pid, 'SIGKILL');
  await waitUntil(gone, 5_000);
}

/** Kills whatever is left of a group whose leader already exited (orphans holding ports). */
export async function reapOrphans(pgid: number, graceMs: number): Promise<void> {
  if (!groupAlive(pgid)) return;
  signalGroup(pgid, 'SIGTERM');
  signalGroup(pgid, 'SIGCONT');
  if (await waitUntil(() => !groupAlive(pgid), graceMs)) return;
  signalGroup(pgid, 'SIGKILL');
  await waitUntil(() => !groupAlive(pgid), 5_000);
}
