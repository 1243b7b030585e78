/**
 * The one interface to a running `up`: a method per operation, with its params (already
 * checked: params.ts) and its result. The control socket (src/control/dispatch.ts), the
 * dashboard (src/app/dashboard/api.ts) and, over the socket, the CLI
 * (src/control/operations-client.ts) all go through it; nothing else reaches the supervisor
 * from outside. Modelled on process-compose's project interface (src/app/project_interface.go).
 */
import type { LogLine } from '../../adapters/logs/log-line.js';
import type { Phase } from '../../core/instance/state-machine.js';
import type { StatusReport } from '../status-report.js';

/** Where a streaming operation (logs, watch) sends its messages; non-streaming ones ignore it. */
export interface Stream<Data> {
  /** One data message. False once the reader is gone. */
  send(data: Data): boolean;
  /** Resolves when the reader disconnects. */
  closed: Promise<void>;
  /** Bytes sent but not yet read (a streamer drops lines rather than pile them up). */
  buffered(): number;
}

/** An instance by name: `app-2`, or `2` for the first group. */
export interface InstanceParams {
  instance: string;
}
/** Who sends a kill, as the instance's log names it (each client fills in its own). */
export const KILL_ORIGINS = {
  kill: '`lb-dev kill`',
  chaos: '`lb-dev chaos`',
  dashboard: 'the dashboard',
  'dashboard-chaos': "the dashboard's chaos switch",
  scenario: 'a scenario',
} as const;
export type KillOrigin = keyof typeof KILL_ORIGINS;

export interface KillParams {
  /** Null with `random`. */
  instance: string | null;
  random: boolean;
  signal: NodeJS.Signals;
  /** What sent it (default `kill`: the CLI). */
  by: KillOrigin;
}
export interface StartParams extends InstanceParams {
  wait: boolean;
}
export interface RestartParams {
  /** Null with `all`. */
  instance: string | null;
  all: boolean;
  rolling: boolean;
  drainMs: number;
}
export interface ScaleParams {
  count: number;
  group: string | null;
  drainMs: number;
  wait: boolean;
}
export interface LogsParams {
  /** Instances or `traefik`, `lb-dev`; null: every source. */
  sources: string[] | null;
  lines: number;
  sinceMs: number | null;
  follow: boolean;
}
export interface WatchParams {
  intervalMs: number;
}
/** No params. */
export type NoParams = Record<string, never>;

export interface HelloResult {
  protocol: number;
  pid: number;
}
export interface KillResult {
  instance: string;
  pid: number;
  signal: NodeJS.Signals;
}
export interface InstanceResult {
  instance: string;
  state: Phase;
  reason?: string;
}
export interface RestartResult {
  restarted: Array<{ instance: string; ms: number }>;
  /** Left off because a newer operation on the instance, a scale-down or the shutdown overtook the restart. */
  skipped: Array<{ instance: string; reason: string }>;
  rolling: boolean;
}
export interface ScaleResult {
  added: string[];
  removed: string[];
  states: Record<string, Phase>;
  instances: number;
}
/** `{ lines }` once the backlog is sent; null when a follower's stream ended. */
export type LogsResult = { lines: number } | null;
export type LogsData = { line: LogLine } | { dropped: number };

export interface Operations {
  /** The protocol version and pid: what a client checks first. */
  hello(params: NoParams): Promise<HelloResult>;
  status(params: NoParams): Promise<StatusReport>;
  /** Begins the same shutdown as Ctrl-C. */
  down(params: NoParams): Promise<{ stopping: true }>;
  /** Signals an instance's process tree (a simulated crash, or SIGSTOP to freeze it). */
  kill(params: KillParams): Promise<KillResult>;
  /** Out of the balancer, then stopped; it stays stopped until `start`. */
  stop(params: InstanceParams): Promise<InstanceResult>;
  start(params: StartParams): Promise<InstanceResult>;
  restart(params: RestartParams): Promise<RestartResult>;
  scale(params: ScaleParams): Promise<ScaleResult>;
  /** The backlog, then (with `follow`) new lines until the reader leaves. */
  logs(params: LogsParams, out: Stream<LogsData>): Promise<LogsResult>;
  /** The status every interval until the reader leaves. */
  watch(params: WatchParams, out: Stream<StatusReport>): Promise<null>;
}

export type OperationName = keyof Operations;
export type Params<K extends OperationName> = Parameters<Operations[K]>[0];
export type Result<K extends OperationName> = Awaited<ReturnType<Operations[K]>>;
/** What a streaming operation sends before its result; `never` for the others. */
export type Data<K extends OperationName> = Parameters<Operations[K]> extends [unknown, Stream<infer D>] ? D : never;
/** The operations that act on instances and logs (all but hello, status, down): what the dashboard calls. */
export type InstanceOperations = Omit<Operations, 'hello' | 'status' | 'down'>;

/**
 * The params as a client sends them: every field may be left out (the default applies) and
 * names such as signals are not yet checked. The validator (params.ts) turns one into Params.
 */
export type Request<K extends OperationName> = { [F in keyof Params<K>]?: RequestField<Params<K>[F]> };
type RequestField<T> = T extends NodeJS.Signals ? string : Exclude<T, null> | null;
