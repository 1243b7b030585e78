/**
 * Processes left behind by an lb-dev that was killed (SIGKILL, OOM, a closed laptop lid):
 * every instance carries LB_DEV_STATE_DIR in its environment, so the next `up` in the same
 * state dir can find them and stop their process groups before taking their ports.
 */
import { reapOrphans } from './kill-tree.js';
import { listPids, readEnviron, readProcStat } from './proc.js';

/** Process groups whose members carry LB_DEV_STATE_DIR=<stateDir> (Linux: /proc; elsewhere none found). */
export async function findLeftoverGroups(stateDir: string): Promise<number[]> {
  const marker = `LB_DEV_STATE_DIR=${stateDir}`;
  const groups = new Set<number>();
  for (const pid of (await listPids()) ?? []) {
    if (pid === process.pid || !(await readEnviron(pid))?.includes(marker)) continue;
    const group = (await readProcStat(pid))?.pgid;
    if (group !== undefined && group !== process.pid && group > 1) groups.add(group);
  }
  return [...groups];
}

export async function stopLeftovers(stateDir: string, graceMs: number): Promise<number[]> {
  const groups = await findLeftoverGroups(stateDir);
  await Promise.all(groups.map((group) => reapOrphans(group, graceMs)));
  return groups;
}
