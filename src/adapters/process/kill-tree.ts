/**
 * Killing a whole process tree. Two nets, because each misses something:
 * - the process group (we spawn every instance as a group leader) catches descendants whose
 *   parent already died and were re-parented to init, which a parent/child walk cannot find;
 * - a walk of the parent/child links (ps) catches descendants that moved to a group of
 *   their own.
 * Each process gets a signal once: the walk only signals those outside the group. A second
 * SIGTERM would cut an app's graceful shutdown short (`process.once('SIGTERM')`, or "press
 * Ctrl-C again to force" in many dev servers).
 */
import { execFile } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { isRunning, listProcesses, readProcStat } from './proc.js';

function signalGroup(pgid: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch {
    return false; // ESRCH: the group has no process left
  }
}

/** Descendants of `pid` (from `ps`) that are not in its process group: the group signal misses them. */
function descendantsOutsideGroup(pid: number): Promise<number[]> {
  return new Promise((resolve) => {
    execFile('ps', ['-A', '-o', 'pid=,ppid=,pgid='], { maxBuffer: 16 << 20 }, (error, stdout) => {
      if (error) {
        resolve([]); // no ps: the group signal is all we have
        return;
      }
      const children = new Map<number, Array<{ pid: number; pgid: number }>>();
      for (const line of stdout.split('\n')) {
        const [p, ppid, pgid] = line.trim().split(/\s+/).map(Number);
        if (!p || ppid === undefined || pgid === undefined) continue;
        const list = children.get(ppid) ?? [];
        list.push({ pid: p, pgid });
        children.set(ppid, list);
      }
      const outside: number[] = [];
      const queue = [pid];
      const seen = new Set(queue);
      while (queue.length > 0) {
        for (const child of children.get(queue.shift()!) ?? []) {
          if (seen.has(child.pid)) continue;
          seen.add(child.pid);
          if (child.pgid !== pid) outside.push(child.pid);
          queue.push(child.pid);
        }
      }
      resolve(outside);
    });
  });
}

/** Is any process of the group (or the leader itself) still there? Zombies count: see groupLive(). */
export function groupAlive(pgid: number): boolean {
  return signalGroup(pgid, 0);
}

/**
 * Is any process of the group still running? kill(-pgid, 0) also succeeds while only zombies
 * are left: killed orphans wait for init to reap them, which a container's init may do late
 * (every second or so) or never. A zombie holds no port, file or memory, so waiting for it
 * only delays stops and restarts. Linux reads /proc (only when kill says the group is there);
 * elsewhere the kill answer stands.
 */
export async function groupLive(pgid: number): Promise<boolean> {
  if (!groupAlive(pgid)) return false;
  if (process.platform !== 'linux') return true;
  const processes = await listProcesses();
  return processes === null || processes.some((stat) => stat.pgid === pgid && isRunning(stat));
}

/** POSIX only, like the rest of lb-dev's process handling (process groups, `sh -c`, `exec`). */
export async function signalProcessTree(pid: number, signal: NodeJS.Signals): Promise<void> {
  await signalTree(pid, signal);
}

/**
 * Signals the group and the descendants outside it; returns those (so a stop can follow them
 * up). The walk comes first (one `ps`, ~15 ms): once the signal has ended their parents, those
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

/** Alive and not a zombie (Linux; elsewhere kill(pid, 0) decides). */
async function pidLive(pid: number): Promise<boolean> {
  if (!signalPid(pid, 0)) return false;
  if (process.platform !== 'linux') return true;
  const stat = await readProcStat(pid);
  return stat !== null && isRunning(stat);
}

/** Polls `check` (every 20 ms at first, backing off to 200 ms: each check may scan /proc) until true or timeoutMs. */
async function waitUntil(check: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  let interval = 20;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await sleep(Math.min(interval, Math.max(1, deadline - Date.now())));
    interval = Math.min(200, interval * 1.5);
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
  // Descendants outside the group are remembered: once their parent is gone, no walk finds them.
  let outside: number[] = [];
  const gone = async () => leaderDone && !(await groupLive(pid))
    && (await Promise.all(outside.map(pidLive))).every((live) => !live);
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
