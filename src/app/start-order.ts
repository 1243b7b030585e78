/**
 * Start-up in the order the config asks for: a group with `dependsOn` starts once every
 * instance it names (or every instance of the groups it names) is ready; `startOrder:
 * sequential` starts a group's instances one at a time, each once the one before is ready.
 * Groups without either start at once, as before. Stops waiting when the supervisor stops.
 */
import type { GroupConfig } from '../core/config/types.js';
import { groupOfMember } from '../core/config/group-links.js';
import type { Instance } from './instance.js';

export interface StartOrderDeps {
  groups: readonly GroupConfig[];
  /** The instances of a group now (scale may have changed them). */
  members: (group: string) => readonly Instance[];
  /** Subscribes to "some instance changed"; returns the unsubscribe. */
  onChange: (listener: () => void) => () => void;
  /** Aborted when the supervisor stops: nothing more is started. */
  cancelled: AbortSignal;
  note: (source: string, text: string) => void;
}

/** Starts every group in order; resolves when all were started (or start-up was cancelled). */
export async function startInOrder(deps: StartOrderDeps): Promise<void> {
  await Promise.all(deps.groups.map((group) => startGroup(group, deps)));
}

async function startGroup(group: GroupConfig, deps: StartOrderDeps): Promise<void> {
  const waitFor = group.dependsOn.flatMap((member) => {
    const owner = groupOfMember(member, deps.groups);
    return deps.members(owner ?? member).filter((i) => member === owner || i.name === member);
  });
  if (waitFor.length > 0) {
    deps.note('lb-dev', `${group.name}: waiting for ${waitFor.map((i) => i.name).join(', ')} to be ready before starting`);
    if (!(await until(deps, () => waitFor.every((i) => i.phase === 'ready')))) return;
  }
  if (group.startOrder === 'parallel') {
    for (const instance of deps.members(group.name)) instance.start();
    return;
  }
  for (const instance of deps.members(group.name)) {
    if (deps.cancelled.aborted) return;
    instance.start();
    if (!(await until(deps, () => instance.phase === 'ready' || instance.phase === 'stopped'))) return;
  }
}

/** Resolves true once `condition` holds (checked on every change), false when cancelled first. */
function until(deps: StartOrderDeps, condition: () => boolean): Promise<boolean> {
  if (deps.cancelled.aborted) return Promise.resolve(false);
  if (condition()) return Promise.resolve(true);
  return new Promise((resolve) => {
    const finish = (result: boolean) => {
      unsubscribe();
      deps.cancelled.removeEventListener('abort', onAbort);
      resolve(result);
    };
    const onAbort = () => finish(false);
    const unsubscribe = deps.onChange(() => {
      if (condition()) finish(true);
    });
    deps.cancelled.addEventListener('abort', onAbort);
  });
}
