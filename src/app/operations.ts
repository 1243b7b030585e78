/**
 * The control methods that change or watch a running `up` from another terminal:
 * kill, stop, start, restart (rolling), scale, logs, watch.
 */
import { LbDevError } from '../core/errors.js';
import type { LogHub } from '../adapters/logs/log-hub.js';
import type { LogLine } from '../adapters/logs/log-line.js';
import { logHistory } from './log-history.js';
import type { Handler, RequestContext } from '../control/server.js';
import type { Instance } from './instance.js';
import type { StatusReport } from './status-report.js';
import type { Supervisor } from './supervisor.js';
import { setTimeout as sleep } from 'node:timers/promises';

export interface OperationsContext {
  /** Null while `up` is still starting. */
  supervisor: () => Supervisor | null;
  logs: LogHub;
  status: () => StatusReport;
  /** Rotated log files kept per source: how far back `logs -n` can read. */
  maxLogFiles: number;
}

const SIGNALS = new Set(['SIGKILL', 'SIGTERM', 'SIGINT', 'SIGHUP', 'SIGQUIT', 'SIGSTOP', 'SIGCONT', 'SIGUSR1', 'SIGUSR2', 'SIGABRT']);
/** A follower more than this many bytes behind on its socket loses lines (counted) instead of growing our memory. */
const MAX_SOCKET_BACKLOG = 1 << 20;

function str(value: unknown, name: string): string {
  if (typeof value !== 'string' || value === '') throw new LbDevError('USAGE', `expected ${name} to be a non-empty string, got ${JSON.stringify(value)}`);
  return value;
}

function num(value: unknown, name: string, fallback: number): number {
  if (value === undefined || value === null) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new LbDevError('USAGE', `expected ${name} to be a number >= 0, got ${JSON.stringify(value)}`);
  }
  return value;
}

export function parseSignal(value: unknown, fallback: NodeJS.Signals): NodeJS.Signals {
  if (value === undefined || value === null) return fallback;
  const raw = String(value).toUpperCase();
  const name = raw.startsWith('SIG') ? raw : `SIG${raw}`;
  if (!SIGNALS.has(name)) throw new LbDevError('USAGE', `expected a signal such as SIGKILL, SIGTERM or SIGSTOP, got ${JSON.stringify(value)}`);
  return name as NodeJS.Signals;
}

export function operationHandlers(ctx: OperationsContext): Record<string, Handler> {
  const sup = (): Supervisor => {
    const s = ctx.supervisor();
    if (!s) throw new LbDevError('NOT_RUNNING', 'lb-dev is still starting; try again in a moment');
    return s;
  };
  const pick = (name: unknown): Instance => sup().find(str(name, 'the instance name'));
  const note = (instance: Instance, text: string) => ctx.logs.event(instance.name, text);

  /** Takes one instance out, waits for Traefik to confirm, drains, restarts it, waits until ready, puts it back. */
  const restartOne = async (instance: Instance, drainMs: number, rolling: boolean): Promise<void> => {
    if (rolling) return sup().restartRolling(instance, drainMs);
    await instance.stop();
    instance.start();
    await instance.whenReady();
  };

  return {
    kill: async ({ params }) => {
      const signal = parseSignal(params.signal, 'SIGKILL');
      const candidates = sup().instances().filter((i) => i.pid !== null);
      let target: Instance;
      if (params.random === true) {
        if (candidates.length === 0) throw new LbDevError('INSTANCE_NOT_RUNNING', 'no instance has a process to kill (all are stopped or between a crash and their restart)');
        target = candidates[Math.floor(Math.random() * candidates.length)]!;
      } else {
        target = pick(params.instance);
      }
      const pid = target.pid;
      // Said only once it went out: a stopped instance gets nothing, and the log must not claim otherwise.
      if (pid === null || !(await target.signal(signal))) throw notRunning(target, sup());
      note(target, `${signal} sent by \`lb-dev kill\``);
      return { instance: target.name, pid, signal };
    },
    stop: async ({ params }) => {
      const instance = pick(params.instance);
      note(instance, 'stop requested by `lb-dev stop`');
      await sup().retire([instance], 0);
      // Stopped, it takes no traffic anyway; admitted now, a later `start` needs nothing more.
      await sup().admit([instance]);
      return { instance: instance.name, state: instance.phase };
    },
    start: async ({ params }) => {
      const instance = pick(params.instance);
      note(instance, 'start requested by `lb-dev start`');
      instance.start();
      if (params.wait !== false) await instance.whenReady();
      // A start the OS refused (a missing cwd, E2BIG) ends stopped at once: say why.
      const reason = instance.phase === 'stopped' ? instance.status().lastExit?.reason : undefined;
      return { instance: instance.name, state: instance.phase, ...(reason ? { reason: `could not start: ${reason}` } : {}) };
    },
    restart: async ({ params }) => {
      const rolling = params.rolling === true;
      const drainMs = num(params.drainMs, 'drainMs', 1_000);
      const targets = params.all === true ? sup().instances() : [pick(params.instance)];
      const done: Array<{ instance: string; ms: number }> = [];
      for (const instance of targets) {
        const started = Date.now();
        note(instance, rolling ? 'rolling restart: leaving the balancer' : 'restart requested');
        await restartOne(instance, drainMs, rolling);
        done.push({ instance: instance.name, ms: Date.now() - started });
      }
      return { restarted: done, rolling };
    },
    scale: async ({ params }) => {
      const count = num(params.count, 'count', NaN);
      const result = await sup().scale(count, typeof params.group === 'string' ? params.group : undefined, num(params.drainMs, 'drainMs', 1_000));
      // As `start` does: the new instances are ready (or gave up) when this answers, unless told not to wait.
      // A concurrent scale-down may already have removed some of them: those count as stopped.
      const added = sup().instances().filter((instance) => result.added.includes(instance.name));
      if (params.wait !== false) {
        await Promise.all(added.map((instance) => instance.whenReady()));
        await sup().routes.flush();
      }
      const states = Object.fromEntries(added.map((instance) => [instance.name, instance.phase]));
      return { ...result, states, instances: sup().instances().length };
    },
    logs: (request) => streamLogs(ctx, request),
    watch: async (request) => {
      while (request.send(ctx.status())) {
        const closed = await Promise.race([request.closed.then(() => true), sleep(num(request.params.intervalMs, 'intervalMs', 1_000)).then(() => false)]);
        if (closed) break;
      }
      return null;
    },
  };
}

/** `2` names an instance of the first group only (Supervisor.find): others by their full name. */
function notRunning(instance: Instance, supervisor: Supervisor): LbDevError {
  let name = instance.name;
  try {
    if (supervisor.find(String(instance.index)) === instance) name = String(instance.index);
  } catch {
    // No instance of that number in the first group: the full name it is.
  }
  return new LbDevError('INSTANCE_NOT_RUNNING',
    `${instance.name} is not running (state ${instance.phase}): no signal sent; \`lb-dev start ${name}\` starts it again`);
}

async function streamLogs(ctx: OperationsContext, request: RequestContext): Promise<unknown> {
  const { params } = request;
  const sources = Array.isArray(params.sources) && params.sources.length ? params.sources.map((s) => resolveSource(ctx, String(s))) : null;
  const lines = num(params.lines, 'lines', 100);
  const sinceMs = params.sinceMs === undefined || params.sinceMs === null ? null : num(params.sinceMs, 'sinceMs', 0);
  const cutoff = sinceMs === null ? 0 : Date.now() - sinceMs;
  const backlog = await logHistory(ctx.logs, sources, lines, ctx.maxLogFiles, cutoff);
  for (const line of backlog) request.send({ line });
  if (params.follow !== true) return { lines: backlog.length };

  // Lines are dropped (and counted) for a reader that falls behind, twice over: the hub's
  // queue for this follower, and the socket's send buffer.
  let droppedAtSocket = 0;
  let reported = 0;
  const subscription = ctx.logs.subscribe(sources, (line: LogLine) => {
    if (request.buffered() > MAX_SOCKET_BACKLOG) {
      droppedAtSocket++;
      return;
    }
    const dropped = droppedAtSocket + subscription.dropped();
    if (dropped > reported) {
      request.send({ dropped: dropped - reported });
      reported = dropped;
    }
    request.send({ line });
  });
  await request.closed;
  subscription.unsubscribe();
  return null;
}

/** `2` -> `app-2`; `traefik` and `lb-dev` are sources too. */
function resolveSource(ctx: OperationsContext, name: string): string {
  if (name === 'traefik' || name === 'lb-dev') return name;
  const supervisor = ctx.supervisor();
  return supervisor ? supervisor.find(name).name : name;
}
