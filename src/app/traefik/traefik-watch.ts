/**
 * The one place that notices Traefik faults and recovers from them, for a Traefik lb-dev runs
 * (container or binary):
 * - the runtime reports it down (the container stopped or was removed, the engine restarted,
 *   the binary exited): at once through onDown, and on every check;
 * - the state dir's traefik/ or traefik/dynamic/ directory was deleted or replaced: Traefik's
 *   directory watch (and a container's bind mount) still point at the old one, so the
 *   directories are recreated and Traefik restarted;
 * - Traefik stops answering its ping for `pingFailuresBeforeRestart` checks in a row;
 * - the routes were written but not confirmed (Traefik rejected a file, or was away): they are
 *   confirmed again on every check, so the status clears once Traefik takes them.
 * Recovery: recreate the directories, restart the runtime (new container / new process), write
 * the routes again and wait for Traefik to confirm them. A failed attempt is retried with
 * backoff (an engine that is restarting answers again after a while).
 */
import { stat } from 'node:fs/promises';
import { restartDelayMs } from '../../core/instance/backoff.js';
import { formatElapsed } from '../../core/text/duration.js';
import { TraefikApi } from '../../adapters/traefik/api-client.js';
import type { RouteSync } from '../route-sync.js';
import { type StateLayout, prepareStateDir } from '../state-dir.js';
import type { TraefikRuntime } from './runtime.js';

export interface TraefikWatchOptions {
  runtime: TraefikRuntime;
  layout: StateLayout;
  routes: RouteSync;
  /** Lines for the `traefik` source of the log hub (console and logs/traefik.log). */
  say: (text: string) => void;
  /** Time between checks (default 1 s). */
  intervalMs?: number;
  pingFailuresBeforeRestart?: number;
}

const BACKOFF = { enabled: true, initialDelayMs: 500, maxDelayMs: 10_000, multiplier: 2, jitter: 0.2, resetAfterMs: 60_000 };

/** The identity of a directory: the same path recreated is another directory. */
async function identity(path: string): Promise<string | null> {
  try {
    const s = await stat(path);
    return s.isDirectory() ? `${s.dev}:${s.ino}` : null;
  } catch {
    return null;
  }
}

export class TraefikWatch {
  private timer: NodeJS.Timeout | null = null;
  private dirs: Array<[string, string | null]> = [];
  private pingFailures = 0;
  private recovering: Promise<void> | null = null;
  private stopped = false;
  /** Unconfirmed routes are asked about again with backoff: each failure logs a warning. */
  private reconfirm = { at: 0, delayMs: 1_000 };
  private readonly api: TraefikApi | null;
  /** Recoveries done, for status and tests. */
  recoveries = 0;

  constructor(private readonly opts: TraefikWatchOptions) {
    this.api = opts.runtime.apiUrl ? new TraefikApi(opts.runtime.apiUrl) : null;
  }

  /** Call once Traefik is up: records the directories as they are now. */
  async start(): Promise<void> {
    const { layout } = this.opts;
    this.dirs = await Promise.all([layout.traefikDir, layout.dynamicDir].map(async (dir) => [dir, await identity(dir)] as [string, string | null]));
    this.opts.runtime.onDown = () => void this.check();
    this.schedule();
  }

  stop(): void {
    this.stopped = true;
    this.opts.runtime.onDown = undefined;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  /** Settles when no recovery is under way (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.recovering) await this.recovering;
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => void this.check().finally(() => this.schedule()), this.opts.intervalMs ?? 1_000);
  }

  /** What is wrong with Traefik now, or null. */
  private async fault(): Promise<string | null> {
    const down = this.opts.runtime.downReason?.() ?? null;
    if (down) return down;
    for (const [dir, was] of this.dirs) {
      const now = await identity(dir);
      if (now !== was) return `${dir} was ${now === null ? 'deleted' : 'replaced'}`;
    }
    if (this.api) {
      this.pingFailures = (await this.api.ping()) ? 0 : this.pingFailures + 1;
      const limit = this.opts.pingFailuresBeforeRestart ?? 10;
      if (this.pingFailures >= limit) return `Traefik did not answer ${this.opts.runtime.apiUrl}/ping ${limit} times in a row`;
    }
    return null;
  }

  private async check(): Promise<void> {
    if (this.stopped || this.recovering) return;
    const reason = await this.fault();
    if (this.stopped || this.recovering) return;
    if (reason) {
      this.recovering = this.recover(reason).finally(() => { this.recovering = null; });
      return;
    }
    // Written but not confirmed (a rejected file, a Traefik that was away): ask again, less often each time.
    const routes = this.opts.routes;
    if (routes.status.confirmed !== false) {
      this.reconfirm = { at: 0, delayMs: 1_000 };
    } else if (Date.now() >= this.reconfirm.at) {
      this.reconfirm = { at: Date.now() + this.reconfirm.delayMs, delayMs: Math.min(30_000, this.reconfirm.delayMs * 2) };
      await routes.resync();
    }
  }

  private async recover(reason: string): Promise<void> {
    const { runtime, layout, routes, say } = this.opts;
    const seenAt = Date.now();
    say(`ERROR: ${reason}: the balancer is down; starting Traefik again`);
    for (let attempt = 1; !this.stopped; attempt++) {
      try {
        await prepareStateDir(layout);
        await routes.writeUnconfirmed(); // the file Traefik reads as it starts, if it was deleted
        await runtime.restart!((message) => say(message));
        this.dirs = await Promise.all(this.dirs.map(async ([dir]) => [dir, await identity(dir)] as [string, string | null]));
        this.pingFailures = 0;
        const status = await routes.resync();
        this.recoveries++;
        say(`Traefik is back and ${status.confirmed ? 'serving' : 'running (routes not confirmed yet)'} [${status.written.join(', ')}], ${formatElapsed(Date.now() - seenAt)} after the fault was seen`);
        return;
      } catch (error) {
        if (this.stopped) return;
        const delay = restartDelayMs(BACKOFF, attempt, Math.random());
        say(`ERROR: starting Traefik again failed (attempt ${attempt}): ${(error as Error).message}; next try in ${formatElapsed(delay)}`);
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
    }
  }
}
