/**
 * The marker every process of a run carries in its environment, as `NAME=value` entries: the
 * state dir, the run (one `lb-dev up`) and the instance. A process that left its instance's
 * tree (setsid, and its parent gone: no group signal or tree walk reaches it) keeps its
 * environment, so lb-dev finds it by these entries (src/adapters/process/leftovers.ts):
 * - the state dir alone: what any earlier run on this state dir left (the next `up` stops it);
 * - state dir + run: everything this run started (the end of `up`, its lifeline's reaper), and
 *   nothing of a newer `up` that already runs on the same state dir;
 * - state dir + run + instance: what one instance's runs started (its stop, its crash).
 * A process that clears or replaces its environment is not found.
 */

export const STATE_DIR_VARIABLE = 'LB_DEV_STATE_DIR';
export const RUN_VARIABLE = 'LB_DEV_RUN';
export const INSTANCE_VARIABLE = 'LB_DEV_INSTANCE';

/** One `up`: its pid and when it started (ms since the epoch) are unique on a machine, and say which `up` it was. */
export function runIdOf(pid: number, startedAtMs: number): string {
  return `${pid}-${startedAtMs}`;
}

export function stateDirMarker(stateDir: string): string[] {
  return [`${STATE_DIR_VARIABLE}=${stateDir}`];
}

export function runMarker(stateDir: string, runId: string): string[] {
  return [...stateDirMarker(stateDir), `${RUN_VARIABLE}=${runId}`];
}

/**
 * The marker of an instance as its environment carries it; null without the state dir or the
 * run (an instance not started by `up`): the instance's name alone would also match other runs'.
 */
export function instanceMarker(env: Readonly<Record<string, string | undefined>>): string[] | null {
  const stateDir = env[STATE_DIR_VARIABLE];
  const run = env[RUN_VARIABLE];
  const instance = env[INSTANCE_VARIABLE];
  if (!stateDir || !run || !instance) return null;
  return [...runMarker(stateDir, run), `${INSTANCE_VARIABLE}=${instance}`];
}
