/** What an Instance needs from its owner (ports, logs, callbacks) and what it reports back (its status). */
import type { InstanceState, Phase } from '../core/instance/state-machine.js';
import type { PortAllocator } from '../adapters/ports.js';
import type { LifelineWatch } from '../adapters/process/lifeline.js';

export interface InstanceLogSink {
  append(source: string, stream: 'stdout' | 'stderr', text: string): unknown;
  event(source: string, text: string): unknown;
}

/**
 * The instance a callback is told about, as its owner may read it (Instance implements it): an
 * interface here, not the class, so that this contract does not import instance.ts back.
 */
export interface ChangedInstance {
  readonly name: string;
  readonly phase: Phase;
  readonly port: number | null;
  /** Taken out of the balancer on purpose (a stop, a scale-down, a rolling restart), not by a failure. */
  readonly drained: boolean;
  readonly takesTraffic: boolean;
  status(): InstanceStatus;
}

export interface InstanceDeps {
  ports: PortAllocator;
  logs: InstanceLogSink;
  /** The balancer's URL, for {url} and ROOT_URL-like settings. */
  balancerUrl: string;
  /** Environment every instance inherits (process.env plus lb-dev's markers). */
  baseEnv: Record<string, string>;
  /** It entered or left the balancer; `exitSeenAt` when its process exiting took it out (ms since the epoch). */
  onRoutesChanged: (instance: ChangedInstance, exitSeenAt: number | null) => void;
  onChange: (instance: ChangedInstance) => void;
  /** Told of each process group as it is spawned and once it is gone, so a killed `up` leaves none behind. */
  lifeline?: LifelineWatch;
  now?: () => number;
  random?: () => number;
  /** Another instance's ports, for {meteor-1.port}-style placeholders. */
  peerPorts?: (instance: string) => readonly number[] | undefined;
  /** The build a process started now runs (restartOn.files), shown in status; null = not known. */
  buildStamp?: () => string | null;
}

export interface InstanceStatus {
  name: string;
  group: string;
  index: number;
  pid: number | null;
  port: number | null;
  extraPorts: number[];
  state: Phase;
  desired: 'running' | 'stopped';
  inBalancer: boolean;
  restarts: number;
  crashesInARow: number;
  startedAt: number | null;
  readyAt: number | null;
  nextRestartAt: number | null;
  lastExit: InstanceState['lastExit'];
  /** Requests Traefik sent it (from the access log), when lb-dev runs Traefik. */
  requests?: number;
  /** The build its process started on (the time of the group's first restartOn file), when known. */
  build?: string;
  /** What is wrong with the current run that it cannot say itself: `app-3 listens on 5173, not 19003: ...`. */
  warning?: string;
}
