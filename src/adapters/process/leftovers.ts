/**
 * Processes left behind by an lb-dev that was killed while its lifeline watchdog could not
 * act (the watchdog killed too, a reboot of the container it ran in): every instance carries
 * LB_DEV_STATE_DIR in its environment, so the next `up` in the same state dir can find them
 * and stop their process groups before taking their ports.
 *
 * A group is signalled only while one of the processes found in it, with the same start time
 * (from the process table), is still in it: a process group id cannot be handed out again
 * while the group has a member, so a pid or group id reused in the meantime is never signalled.
 */
import { isLive } from '../../core/process-tree.js';
import { pollUntil } from '../poll.js';
import { processTable } from './process-table/choose.js';
import type { ProcessTable } from './process-table/process-table.js';

/** A group to stop, with the marked members that prove it is still the one found. */
export interface LeftoverGroup {
  pgid: number;
  members: Array<{ pid: number; startTime: number }>;
}

/** Process groups whose members carry LB_DEV_STATE_DIR=<stateDir> (the processes whose environment the table can read: the user's own). */
export async function findLeftoverGroups(stateDir: string, table: ProcessTable = processTable()): Promise<LeftoverGroup[]> {
  const marked = (await table.pidsWithEnvironment(`LB_DEV_STATE_DIR=${stateDir}`)).filter((pid) => pid !== process.pid);
  if (marked.length === 0) return [];
  const rows = new Map(((await table.list()) ?? []).map((row) => [row.pid, row]));
  const groups = new Map<number, LeftoverGroup>();
  for (const pid of marked) {
    const row = rows.get(pid);
    if (!row || !isLive(row) || row.pgid === process.pid || row.pgid <= 1) continue;
    const group = groups.get(row.pgid) ?? { pgid: row.pgid, members: [] };
    group.members.push({ pid, startTime: row.startTime });
    groups.set(row.pgid, group);
  }
  return [...groups.values()];
}

/** Is one of the members found still running, in that group, with its start time? */
async function stillOurs(group: LeftoverGroup, table: ProcessTable): Promise<boolean> {
  for (const member of group.members) {
    const row = await table.row(member.pid);
    if (row && isLive(row) && row.startTime === member.startTime && row.pgid === group.pgid) return true;
  }
  return false;
}

async function signalIfOurs(group: LeftoverGroup, table: ProcessTable, signal: NodeJS.Signals): Promise<boolean> {
  if (!(await stillOurs(group, table))) return false;
  try {
    process.kill(-group.pgid, signal);
  } catch {
    return false; // emptied between the check and the signal
  }
  return true;
}

/** SIGTERM (and SIGCONT), SIGKILL after graceMs to what is still ours; resolves when none of it runs (5 s at most after the SIGKILL). */
async function stopGroup(group: LeftoverGroup, graceMs: number, table: ProcessTable): Promise<void> {
  if (!(await signalIfOurs(group, table, 'SIGTERM'))) return;
  await signalIfOurs(group, table, 'SIGCONT');
  const gone = async () => !(await stillOurs(group, table));
  const waitGone = async (timeoutMs: number) => (await pollUntil(gone, { timeoutMs, intervalMs: 20, maxIntervalMs: 200 })).outcome === 'met';
  if (await waitGone(graceMs)) return;
  await signalIfOurs(group, table, 'SIGKILL');
  await waitGone(5_000);
}

/** Stops every leftover group of `stateDir`; returns their ids. */
export async function stopLeftovers(stateDir: string, graceMs: number, table: ProcessTable = processTable()): Promise<number[]> {
  const groups = await findLeftoverGroups(stateDir, table);
  await Promise.all(groups.map((group) => stopGroup(group, graceMs, table)));
  return groups.map((group) => group.pgid);
}
