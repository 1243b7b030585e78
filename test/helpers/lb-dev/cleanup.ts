/**
 * Leaving nothing behind, whatever a test did: every process that carries a state dir's
 * LB_DEV_STATE_DIR marker is SIGKILLed, every container labelled with that state dir is
 * removed, and a process-exit hook does the synchronous part when a test file ends without
 * its after() hooks (an uncaught error, a timeout).
 */
import { killCliChildren } from './cli.js';
import { killHard, markedProcesses } from './processes.js';
import { waitUntil } from '../wait.js';

/** What the registry can clean: a workspace (temp dir, config, its `up` runs). */
export interface Cleanable {
  /** Kills everything synchronously (for the exit hook). */
  killNow(): void;
  /** Kills everything, removes containers and files. Never throws. */
  cleanup(): Promise<void>;
}

const live = new Set<Cleanable>();

export function track(item: Cleanable): void {
  live.add(item);
}

export function untrack(item: Cleanable): void {
  live.delete(item);
}

/** For `after()`: cleans up every workspace and client command still around. */
export async function cleanupAll(): Promise<void> {
  killCliChildren();
  await Promise.all([...live].map((item) => item.cleanup()));
}

process.once('exit', () => {
  killCliChildren();
  for (const item of live) item.killNow();
});

/** SIGKILLs `pids` and then every marked process of `stateDir` until none is left (or 5 s passed). Never throws. */
export async function killMarkedProcesses(stateDir: string, pids: Iterable<number> = []): Promise<void> {
  for (const pid of pids) killHard(pid);
  await waitUntil(
    () => {
      const left = markedProcesses(stateDir);
      for (const pid of left) killHard(pid);
      return left.length === 0;
    },
    { timeoutMs: 5_000, intervalMs: 20, what: `no process marked with ${stateDir}` },
  ).catch(() => undefined);
}

/**
 * Removes every container labelled with `stateDir`, as the next `up` would. dockerode is
 * loaded only here, so unit tests that never use Docker do not pay for it. Never throws.
 */
export async function removeContainers(stateDir: string): Promise<void> {
  try {
    const { connectDocker, managedLabels } = await import('../../../src/adapters/traefik/docker.js');
    const engine = await connectDocker();
    await engine.removeLabelledContainers(managedLabels(stateDir));
  } catch {
    // no engine: nothing of ours can be running in it
  }
}
