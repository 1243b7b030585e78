/**
 * A program lb-dev runs beside the instances (a local Traefik, Prometheus): exec'd as the only
 * process of a group of its own, its output into the log hub under `source` (each last line
 * completed when its pipe ends), carrying the state dir marker (the next `up` on this state dir
 * stops it if this supervisor dies), and under the lifeline until it exits.
 */
import type { LogHub } from '../adapters/logs/log-hub.js';
import type { LifelineWatch } from '../adapters/process/lifeline.js';
import { type RunningProcess, spawnCommand } from '../adapters/process/spawn-command.js';

export interface ServiceSpawn {
  command: string;
  cwd: string;
  /** lb-dev's state dir: the marker's value. */
  stateDir: string;
  logs: LogHub;
  source: string;
  lifeline?: LifelineWatch | undefined;
}

export function spawnService(spec: ServiceSpawn): RunningProcess {
  const output = { stdout: spec.logs.lineWriter(spec.source, 'stdout'), stderr: spec.logs.lineWriter(spec.source, 'stderr') };
  const child = spawnCommand({
    command: spec.command,
    cwd: spec.cwd,
    env: { ...(process.env as Record<string, string>), LB_DEV_STATE_DIR: spec.stateDir },
    onOutput: (stream, chunk) => output[stream].write(chunk),
    onOutputEnd: (stream) => output[stream].end(),
  });
  if (child.pid > 0) {
    spec.lifeline?.watchGroup(child.pid);
    // The group's only process: its exit empties the group.
    void child.exited.then(() => spec.lifeline?.forgetGroup(child.pid));
  }
  return child;
}
