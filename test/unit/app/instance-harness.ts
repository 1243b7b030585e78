// The Instance tests' harness (instance*.test.ts): an Instance over real child processes, each
// process carrying a unique marker so a test can find every one it started.
import { randomUUID } from 'node:crypto';
import { PortAllocator } from '../../../src/adapters/ports.js';
import { Instance, type InstanceDeps } from '../../../src/app/instance.js';
import { resolveConfig } from '../../../src/core/config/schema.js';
import type { GroupConfig } from '../../../src/core/config/types.js';
import { ROOT, killHard, markedProcesses, nodeFixture } from '../../helpers/lb-dev/index.js';

const markers: string[] = [];

/** For after(): kills whatever an instance of a failed test left running. */
export function killInstanceLeftovers(): void {
  for (const marker of markers) for (const pid of markedProcesses(marker)) killHard(pid);
}

export function groupOf(settings: Record<string, unknown>): GroupConfig {
  const config = resolveConfig(
    {
      command: nodeFixture('http-ok.mjs'),
      instances: 1,
      stopGracePeriod: '500ms',
      readiness: { http: { interval: '50ms', timeout: '500ms' } },
      restart: { initialDelay: '100ms', maxDelay: '1s' },
      ...settings,
    },
    { source: null, overrides: {}, cwd: ROOT, demoCommand: 'node -e 0' },
  );
  return config.groups[0]!;
}

export function makeInstance(settings: Record<string, unknown> = {}, index = 1) {
  // Every process of this instance carries a unique marker, so the test can find all of them.
  const marker = `/lb-dev-instance-test/${randomUUID()}`;
  markers.push(marker);
  const events: string[] = [];
  const lines: string[] = [];
  // Waiters re-checked on every output line and status change: tests wait on these events, not on time.
  const waiters = new Set<() => void>();
  const notify = () => {
    for (const check of [...waiters]) check();
  };
  const deps: InstanceDeps = {
    ports: new PortAllocator('127.0.0.1'),
    logs: {
      append: (_source, _stream, text) => {
        lines.push(text);
        notify();
      },
      event: (_source, text) => {
        events.push(text);
      },
    },
    balancerUrl: 'http://127.0.0.1:1',
    baseEnv: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/', LB_DEV_STATE_DIR: marker },
    onRoutesChanged: () => undefined,
    onChange: notify,
  };
  const instance = new Instance(groupOf(settings), index, deps);
  /** Resolves once `predicate` holds: now, or at the output line or status change that makes it so. */
  const until = (predicate: () => boolean): Promise<void> =>
    new Promise((resolve) => {
      const check = () => {
        if (!predicate()) return;
        waiters.delete(check);
        resolve();
      };
      waiters.add(check);
      check();
    });
  return { instance, marker, events, lines, deps, until };
}

/** whenReady() with a deadline: a bug must fail the test, not hang it. */
export function ready(instance: Instance, ms = 10_000): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    instance.whenReady().finally(() => clearTimeout(timer)),
    new Promise<void>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${instance.name} not ready within ${ms}ms: ${JSON.stringify(instance.status())}`)), ms);
    }),
  ]);
}
