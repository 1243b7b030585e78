/**
 * The dashboard's timeline from two snapshots of the instances: what happened between them
 * (started, ready, crashed, restarted, drained, ...). Deriving it from snapshots keeps the
 * instances free of any knowledge of the dashboard. Pure.
 */
export interface InstanceSnapshot {
  name: string;
  state: string;
  pid: number | null;
  restarts: number;
  inBalancer: boolean;
  desired: string;
  lastExit: { code: number | null; signal: string | null; at: number } | null;
}

export type TimelineKind =
  | 'added'
  | 'removed'
  | 'started'
  | 'ready'
  | 'unhealthy'
  | 'crashed'
  | 'restarted'
  | 'stopped'
  | 'drained'
  | 'admitted'
  | 'routes-written'
  | 'routes-confirmed'
  | 'routes-not-confirmed'
  | 'chaos';

export interface TimelineEvent {
  time: number;
  kind: TimelineKind;
  /** The instance it is about, or null (routes, chaos). */
  instance: string | null;
  text: string;
}

export function describeExit(exit: NonNullable<InstanceSnapshot['lastExit']>): string {
  return exit.signal ? `signal ${exit.signal}` : `code ${exit.code}`;
}

/** The events that lead from `before` to `after` (matched by name), in a stable order. */
export function diffInstances(before: readonly InstanceSnapshot[], after: readonly InstanceSnapshot[], time: number): TimelineEvent[] {
  const events: TimelineEvent[] = [];
  const add = (kind: TimelineKind, instance: string, text: string) => events.push({ time, kind, instance, text });
  const old = new Map(before.map((i) => [i.name, i]));
  for (const now of after) {
    const was = old.get(now.name);
    old.delete(now.name);
    if (!was) {
      add('added', now.name, `${now.name} added`);
      if (now.pid !== null) add('started', now.name, `${now.name} started (pid ${now.pid})`);
      continue;
    }
    const exitChanged = now.lastExit !== null && now.lastExit.at !== was.lastExit?.at;
    if (exitChanged && now.state === 'crashed') add('crashed', now.name, `${now.name} crashed: ${describeExit(now.lastExit!)}`);
    if (now.state === 'stopped' && was.state !== 'stopped') add('stopped', now.name, `${now.name} stopped`);
    if (now.restarts > was.restarts) add('restarted', now.name, `${now.name} restarting (restart #${now.restarts})`);
    if (now.pid !== null && now.pid !== was.pid) add('started', now.name, `${now.name} started (pid ${now.pid})`);
    if (now.state !== was.state && now.state === 'ready') add('ready', now.name, `${now.name} ready`);
    if (now.state !== was.state && now.state === 'unhealthy') add('unhealthy', now.name, `${now.name} unhealthy (failed probes)`);
    if (was.inBalancer && !now.inBalancer) add('drained', now.name, `${now.name} left the balancer`);
    if (!was.inBalancer && now.inBalancer) add('admitted', now.name, `${now.name} joined the balancer`);
  }
  for (const gone of old.keys()) add('removed', gone, `${gone} removed`);
  return events;
}
