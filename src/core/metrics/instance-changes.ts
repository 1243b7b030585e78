/**
 * What happened to an instance between two of its status snapshots, as metric events.
 * The supervisor tells observers only "something changed" (once per state transition);
 * comparing the instance's snapshot with the one seen before says what.
 */

/** The part of an instance's status (src/app/instance.ts) these events come from. */
export interface InstanceSnapshot {
  name: string;
  group: string;
  state: string;
  desired: 'running' | 'stopped';
  restarts: number;
  startedAt: number | null;
  readyAt: number | null;
  lastExit: { code: number | null; signal: string | null; at: number } | null;
}

export type InstanceChange =
  | { type: 'restarted'; count: number }
  | { type: 'crashed'; code: number | null; signal: string | null }
  | { type: 'ready'; afterMs: number };

export function instanceChanges(before: InstanceSnapshot | undefined, after: InstanceSnapshot): InstanceChange[] {
  const changes: InstanceChange[] = [];
  // A new instance under a reused name (scale down, then up) starts again from 0.
  const restartsBefore = before && before.restarts <= after.restarts ? before.restarts : 0;
  if (after.restarts > restartsBefore) changes.push({ type: 'restarted', count: after.restarts - restartsBefore });
  // An exit while it was meant to run: a stop sets `desired` to stopped before the exit comes.
  if (after.lastExit && after.lastExit.at !== before?.lastExit?.at && before?.desired === 'running') {
    changes.push({ type: 'crashed', code: after.lastExit.code, signal: after.lastExit.signal });
  }
  if (after.state === 'ready' && after.readyAt !== null && after.startedAt !== null && after.readyAt !== before?.readyAt) {
    changes.push({ type: 'ready', afterMs: Math.max(0, after.readyAt - after.startedAt) });
  }
  return changes;
}
