/**
 * The lifeline between `lb-dev up` and its watchdog, as plain data: the changes `up` makes to
 * its record of what to clean, the record file's format (`<stateDir>/lifeline.json`, which `up`
 * rewrites on every change and the reaper reads once `up` is gone without saying goodbye), and
 * the pure decision of what to kill then.
 *
 * A process group is recorded with its leader's start time (seconds since the epoch, from the
 * process table): a pid that was reused by an unrelated process has another start time and is
 * never killed.
 */
import { type ProcessRow, treeOf } from './process-tree.js';

export type LifelineMessage =
  | { op: 'watch-group'; pgid: number; startTime: number | null }
  | { op: 'forget-group'; pgid: number }
  | { op: 'watch-container'; id: string }
  | { op: 'forget-container'; id: string };

/** What the reaper cleans if `up` dies without a release. */
export interface LifelineRecord {
  /** pgid -> the leader's start time when it was recorded (null: not knowable here, e.g. no /proc). */
  groups: Map<number, number | null>;
  containers: Set<string>;
  /** True once any container was registered: then the labelled sweep runs too. */
  usedDocker: boolean;
}

export function emptyRecord(): LifelineRecord {
  return { groups: new Map(), containers: new Set(), usedDocker: false };
}

/** 0 and 1 as a pgid would mean "my own group" and "every process": never valid. */
export function isGroupId(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value > 1;
}

/** Docker container ids and names; nothing that could be read as a path or an option. */
export function isContainerId(value: unknown): value is string {
  return typeof value === 'string' && /^[0-9a-zA-Z_.-]{1,128}$/.test(value);
}

export function applyLifelineMessage(record: LifelineRecord, message: LifelineMessage): void {
  switch (message.op) {
    case 'watch-group':
      record.groups.set(message.pgid, message.startTime);
      break;
    case 'forget-group':
      record.groups.delete(message.pgid);
      break;
    case 'watch-container':
      record.containers.add(message.id);
      record.usedDocker = true;
      break;
    case 'forget-container':
      record.containers.delete(message.id);
      break;
  }
}

/** The record file's text: `{"groups":[[pgid,startTime],...],"containers":[...],"usedDocker":bool}`. */
export function serializeRecord(record: LifelineRecord): string {
  return JSON.stringify({ groups: [...record.groups], containers: [...record.containers], usedDocker: record.usedDocker });
}

/**
 * The record in a file's text, validated: the file is input from outside (anyone who can write
 * the state dir), and a pgid of 1 or a bogus container id must never reach kill() or Docker.
 */
export function parseRecord(text: string): { record: LifelineRecord } | { problem: string } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { problem: `expected JSON, got ${(error as Error).message}` };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { problem: `expected an object, got ${JSON.stringify(value)?.slice(0, 80)}` };
  const { groups, containers, usedDocker } = value as Record<string, unknown>;
  if (!Array.isArray(groups)) return { problem: 'expected "groups" to be a list of [pgid, startTime]' };
  if (!Array.isArray(containers)) return { problem: 'expected "containers" to be a list of container ids' };
  if (typeof usedDocker !== 'boolean') return { problem: `expected "usedDocker" to be true or false, got ${JSON.stringify(usedDocker)}` };
  const record = emptyRecord();
  record.usedDocker = usedDocker;
  for (const entry of groups as unknown[]) {
    const [pgid, startTime] = Array.isArray(entry) && entry.length === 2 ? (entry as unknown[]) : [];
    const validStart = startTime === null || (typeof startTime === 'number' && Number.isSafeInteger(startTime) && startTime >= 0);
    if (!isGroupId(pgid) || !validStart) return { problem: `expected a group [pgid > 1, startTime], got ${JSON.stringify(entry)}` };
    record.groups.set(pgid, startTime as number | null);
  }
  for (const id of containers as unknown[]) {
    if (!isContainerId(id)) return { problem: `expected a container id, got ${JSON.stringify(id)}` };
    record.containers.add(id);
  }
  return { record };
}

/** What planKills needs of a row of the process table. */
export type ProcessInfo = Pick<ProcessRow, 'pid' | 'ppid' | 'pgid' | 'startTime'>;

export interface KillPlan {
  /** Groups to SIGKILL as a whole (kill(-pgid)). */
  groups: number[];
  /** Descendants that left their group (setsid, setpgid): killed one by one. */
  pids: number[];
  /** Recorded groups left alone, and why. */
  skipped: Array<{ pgid: number; reason: string }>;
}

/**
 * What to kill, from a snapshot of the process table (live processes only). `table` null means
 * the table could not be read: every recorded group is killed, unverified.
 * A leader that is gone while its group lives on is still our group: the kernel does not hand
 * out a pid as long as a process group carries that id.
 */
export function planKills(record: Pick<LifelineRecord, 'groups'>, table: readonly ProcessInfo[] | null, selfPid: number): KillPlan {
  const plan: KillPlan = { groups: [], pids: [], skipped: [] };
  if (table === null) {
    plan.groups = [...record.groups.keys()];
    return plan;
  }
  const byPid = new Map(table.map((p) => [p.pid, p]));
  const killedGroups: number[] = [];
  for (const [pgid, recorded] of record.groups) {
    const leader = byPid.get(pgid);
    if (leader && recorded !== null && leader.startTime !== recorded) {
      plan.skipped.push({ pgid, reason: `pid ${pgid} now belongs to another process (started at ${leader.startTime}, ours at ${recorded})` });
      continue;
    }
    if (table.some((p) => p.pgid === pgid)) killedGroups.push(pgid); // else already gone
  }
  plan.groups = killedGroups;
  // Descendants outside the killed groups: the tree walk from every member.
  const inKilledGroup = new Set(killedGroups);
  plan.pids = treeOf(table, { groups: killedGroups })
    .filter((p) => !inKilledGroup.has(p.pgid) && p.pid !== selfPid)
    .map((p) => p.pid);
  return plan;
}
