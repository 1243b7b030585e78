/**
 * Processes left behind by an lb-dev that was killed (SIGKILL, OOM, a closed laptop lid):
 * every instance carries LB_DEV_STATE_DIR in its environment, so the next `up` in the same
 * state dir can find them and stop their process groups before taking their ports.
 */
import { readdir, readFile } from 'node:fs/promises';
import { reapOrphans } from './kill-tree.js';

async function processGroupOf(pid: number): Promise<number | null> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command (which may contain spaces) start after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[2]);
  } catch {
    return null;
  }
}

/** Process groups whose members carry LB_DEV_STATE_DIR=<stateDir> (Linux: /proc; elsewhere none found). */
export async function findLeftoverGroups(stateDir: string): Promise<number[]> {
  let entries: string[];
  try {
    entries = await readdir('/proc');
  } catch {
    return [];
  }
  const marker = `\0LB_DEV_STATE_DIR=${stateDir}\0`;
  const groups = new Set<number>();
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    if (pid === process.pid) continue;
    try {
      const environ = `\0${await readFile(`/proc/${pid}/environ`, 'utf8')}`;
      if (!environ.includes(marker)) continue;
      const group = await processGroupOf(pid);
      if (group !== null && group !== process.pid && group > 1) groups.add(group);
    } catch {
      // gone, or not ours to read
    }
  }
  return [...groups];
}

export async function stopLeftovers(stateDir: string, graceMs: number): Promise<number[]> {
  const groups = await findLeftoverGroups(stateDir);
  await Promise.all(groups.map((group) => reapOrphans(group, graceMs)));
  return groups;
}
