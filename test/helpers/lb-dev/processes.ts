/**
 * Processes as the harness sees them through /proc: is a pid alive, which processes carry
 * an `up`'s LB_DEV_STATE_DIR marker (instances, grandchildren, a local traefik), and a
 * SIGKILL to a process and its group.
 */
import { readdirSync, readFileSync } from 'node:fs';

/** Is `pid` a live process? A zombie (exited, not yet reaped by init) counts as gone. */
export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0] !== 'Z';
  } catch {
    return false; // vanished between the two checks (or no /proc): kill(0) said it was there a moment ago
  }
}

/** Live (non-zombie) pids whose environment carries LB_DEV_STATE_DIR=<stateDir>: every process an `up` started, grandchildren included. */
export function markedProcesses(stateDir: string): number[] {
  const marker = `\0LB_DEV_STATE_DIR=${stateDir}\0`;
  const found: number[] = [];
  let entries: string[] = [];
  try {
    entries = readdirSync('/proc');
  } catch {
    return found;
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    if (pid === process.pid) continue;
    try {
      const environ = `\0${readFileSync(`/proc/${pid}/environ`, 'utf8')}`;
      if (environ.includes(marker) && pidAlive(pid)) found.push(pid);
    } catch {
      // gone, or not ours
    }
  }
  return found;
}

/** SIGKILL to the process group `pid` leads and to the process itself; never throws. */
export function killHard(pid: number): void {
  for (const target of [-pid, pid]) {
    try {
      process.kill(target, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

/** The marked processes by the instance they were started for (their LB_DEV_INSTANCE): what runs for which name. */
export function markedInstances(stateDir: string): Map<string, number[]> {
  const byName = new Map<string, number[]>();
  for (const pid of markedProcesses(stateDir)) {
    let name = '?';
    try {
      const entry = readFileSync(`/proc/${pid}/environ`, 'utf8')
        .split('\0')
        .find((e) => e.startsWith('LB_DEV_INSTANCE='));
      if (entry) name = entry.slice('LB_DEV_INSTANCE='.length);
    } catch {
      continue; // gone meanwhile
    }
    byName.set(name, [...(byName.get(name) ?? []), pid]);
  }
  return byName;
}
