/**
 * Processes of lb-dev's that no tree leads to any more, found by the marker in their
 * environment (src/core/process-marker.ts) and stopped by process group. The one sweep for:
 * - leftovers of a killed run whose lifeline could not act (the watchdog killed too, a reboot
 *   of the container it ran in): the next `up` on the state dir stops them before taking ports;
 * - escapees: a descendant that called setsid and whose parent is gone (`setsid sh -c 'x &'`)
 *   is in no group lb-dev signals and under no parent a walk follows. An instance's stop and
 *   crash sweep its marker, `up`'s shutdown and its lifeline's reaper sweep the run's.
 * Processes whose environment the table cannot read (other users') are not found, nor one that
 * cleared its environment.
 *
 * A group is signalled only while one of the processes found in it, with the same start time
 * (from the process table), is still in it: a process group id cannot be handed out again
 * while the group has a member, so a pid or group id reused in the meantime is never signalled.
 * Every member of such a group descends from lb-dev's instances: a group is always within one
 * session, and every session there was made by one of them.
 */
import { isLive } from '../../core/process-tree.js';
import { stateDirMarker } from '../../core/process-marker.js';
import { pollUntil } from '../poll.js';
import { processTable } from './process-table/choose.js';
import type { ProcessTable } from './process-table/process-table.js';

/** A group to stop, with the marked members that prove it is still the one found. */
export interface MarkedGroup {
  pgid: number;
  members: Array<{ pid: number; startTime: number }>;
}

/** Processes already dealt with (a stopped tree's group, pids SIGKILLed one by one): not swept again. */
export interface SweepExceptions {
  groups?: readonly number[];
  pids?: readonly number[];
}

/**
 * Process groups with members that carry every entry of `marker` (among the processes whose
 * environment the table can read: the user's own). Never this process's own group.
 */
export async function findMarkedGroups(marker: readonly string[], table: ProcessTable = processTable(), except: SweepExceptions = {}): Promise<MarkedGroup[]> {
  const exceptPids = new Set([process.pid, ...(except.pids ?? [])]);
  const exceptGroups = new Set([process.pid, ...(except.groups ?? [])]);
  const marked = (await table.pidsWithEnvironment(marker)).filter((pid) => !exceptPids.has(pid));
  if (marked.length === 0) return [];
  const rows = new Map(((await table.list()) ?? []).map((row) => [row.pid, row]));
  const groups = new Map<number, MarkedGroup>();
  for (const pid of marked) {
    const row = rows.get(pid);
    if (!row || !isLive(row) || exceptGroups.has(row.pgid) || row.pgid <= 1) continue;
    const group = groups.get(row.pgid) ?? { pgid: row.pgid, members: [] };
    group.members.push({ pid, startTime: row.startTime });
    groups.set(row.pgid, group);
  }
  return [...groups.values()];
}

/** Is one of the members found still running, in that group, with its start time? */
async function stillOurs(group: MarkedGroup, table: ProcessTable): Promise<boolean> {
  for (const member of group.members) {
    const row = await table.row(member.pid);
    if (row && isLive(row) && row.startTime === member.startTime && row.pgid === group.pgid) return true;
  }
  return false;
}

async function signalIfOurs(group: MarkedGroup, table: ProcessTable, signal: NodeJS.Signals): Promise<boolean> {
  if (!(await stillOurs(group, table))) return false;
  try {
    process.kill(-group.pgid, signal);
  } catch {
    return false; // emptied between the check and the signal
  }
  return true;
}

/**
 * SIGTERM (and SIGCONT), SIGKILL after graceMs to what is still ours (graceMs 0: SIGKILL at
 * once); resolves when none of it runs (5 s at most after the SIGKILL).
 */
async function stopGroup(group: MarkedGroup, graceMs: number, table: ProcessTable): Promise<void> {
  const gone = async () => !(await stillOurs(group, table));
  const waitGone = async (timeoutMs: number) => (await pollUntil(gone, { timeoutMs, intervalMs: 20, maxIntervalMs: 200 })).outcome === 'met';
  if (graceMs > 0) {
    if (!(await signalIfOurs(group, table, 'SIGTERM'))) return;
    await signalIfOurs(group, table, 'SIGCONT');
    if (await waitGone(graceMs)) return;
  }
  if (!(await signalIfOurs(group, table, 'SIGKILL'))) return;
  await waitGone(5_000);
}

/** Stops every group with members that carry `marker` (see findMarkedGroups); returns the groups found. */
export async function stopMarkedGroups(
  marker: readonly string[],
  graceMs: number,
  table: ProcessTable = processTable(),
  except: SweepExceptions = {},
): Promise<MarkedGroup[]> {
  const groups = await findMarkedGroups(marker, table, except);
  await Promise.all(groups.map((group) => stopGroup(group, graceMs, table)));
  return groups;
}

/** The groups any earlier run on `stateDir` left (LB_DEV_STATE_DIR=<stateDir>). */
export function findLeftoverGroups(stateDir: string, table: ProcessTable = processTable()): Promise<MarkedGroup[]> {
  return findMarkedGroups(stateDirMarker(stateDir), table);
}

/** Stops every leftover group of `stateDir`; returns their ids. */
export async function stopLeftovers(stateDir: string, graceMs: number, table: ProcessTable = processTable()): Promise<number[]> {
  return (await stopMarkedGroups(stateDirMarker(stateDir), graceMs, table)).map((group) => group.pgid);
}
