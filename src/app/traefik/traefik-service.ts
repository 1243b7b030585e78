/**
 * A Traefik lb-dev runs (container or binary) as a supervised service (src/app/supervision/):
 * - down: the runtime says so (the container stopped or was removed, the engine went away, the
 *   binary exited);
 * - health: its ping; and the state dir's traefik/ and traefik/dynamic/ still being the
 *   directories it started on (deleted or replaced, Traefik's directory watch and a container's
 *   bind mount still point at the old ones): a fatal probe failure, so restarted at once;
 * - a restart recreates the directories, writes the routes before Traefik starts (the file it
 *   reads first, if it was deleted) and has Traefik confirm them after.
 */
import { stat } from 'node:fs/promises';
import { TraefikApi } from '../../adapters/traefik/api-client.js';
import type { ProbeResult, ServiceSpec } from '../supervision/service.js';
import { type StateLayout, prepareStateDir } from '../state-dir.js';
import type { TraefikRuntime } from './runtime.js';

/** What a restart needs of the routes (src/app/routes/route-reconciler.ts). */
export interface TraefikRoutes {
  writeUnconfirmed(): Promise<unknown>;
  resync(): Promise<{ confirmed: boolean | null; written: string[] }>;
}

export interface TraefikServiceOptions {
  runtime: TraefikRuntime;
  layout: StateLayout;
  routes: TraefikRoutes;
  /** Start-up progress lines (the `traefik` source of the log hub). */
  onProgress: (text: string) => void;
}

/** The identity of a directory: the same path recreated is another directory. */
async function identity(path: string): Promise<string | null> {
  try {
    const s = await stat(path);
    return s.isDirectory() ? `${s.dev}:${s.ino}` : null;
  } catch {
    return null;
  }
}

export class TraefikService implements ServiceSpec {
  readonly name = 'traefik';
  readonly label = 'Traefik';
  readonly impact = 'the balancer is down';
  private dirs: Array<[string, string | null]> = [];
  private readonly api: TraefikApi | null;

  constructor(private readonly opts: TraefikServiceOptions) {
    this.api = opts.runtime.apiUrl ? new TraefikApi(opts.runtime.apiUrl) : null;
  }

  get onDown(): (() => void) | undefined {
    return this.opts.runtime.onDown;
  }

  set onDown(callback: (() => void) | undefined) {
    this.opts.runtime.onDown = callback;
  }

  describe(): string {
    return this.opts.runtime.describe();
  }

  async start(again: boolean): Promise<void> {
    const { runtime, layout, routes } = this.opts;
    if (again) {
      await prepareStateDir(layout);
      await routes.writeUnconfirmed();
    }
    await runtime.start(this.opts.onProgress);
    this.dirs = await Promise.all([layout.traefikDir, layout.dynamicDir].map(async (dir) => [dir, await identity(dir)] as [string, string | null]));
  }

  async afterStart(again: boolean): Promise<string> {
    if (!again) return '';
    const status = await this.opts.routes.resync();
    return ` and ${status.confirmed ? 'serving' : 'running (routes not confirmed yet)'} [${status.written.join(', ')}]`;
  }

  stop(now?: boolean): Promise<void> {
    return this.opts.runtime.stop(now);
  }

  downReason(): string | null {
    return this.opts.runtime.downReason?.() ?? null;
  }

  async probe(): Promise<ProbeResult> {
    for (const [dir, was] of this.dirs) {
      const now = await identity(dir);
      if (now !== was) return { ok: false, reason: `${dir} was ${now === null ? 'deleted' : 'replaced'}`, fatal: true };
    }
    if (this.api && !(await this.api.ping())) return { ok: false, reason: `no answer from ${this.opts.runtime.apiUrl}/ping` };
    return { ok: true };
  }
}
