/** The command line and environment one launch of an instance runs with, and how the log announces it. */
import type { GroupConfig } from '../core/config/types.js';
import { instanceMarker } from '../core/process-marker.js';
import { renderTemplate } from '../core/text/template.js';
import type { InstanceDeps } from './instance-contract.js';

export interface LaunchPlan {
  command: string;
  env: Record<string, string>;
  /** The "starting on port ..." log line. */
  announcement: string;
  /** What marks this instance's processes (state dir, run, instance: from env), for the sweep of its escapees; null outside `up`. */
  marker: string[] | null;
}

/** Renders the group's command and env for this instance on these ports; PORT and LB_DEV_* always win. */
export function planLaunch(
  group: GroupConfig,
  index: number,
  name: string,
  ports: readonly [number, ...number[]],
  deps: Pick<InstanceDeps, 'balancerUrl' | 'baseEnv' | 'peerPorts'>,
): LaunchPlan {
  const [port, ...extraPorts] = ports;
  const values = { port, index, name, url: deps.balancerUrl, group: group.name, extraPorts, peerPorts: deps.peerPorts };
  const env: Record<string, string> = { ...deps.baseEnv };
  for (const [key, value] of Object.entries(group.env)) env[key] = renderTemplate(value, values);
  env.PORT = String(port);
  env.LB_DEV_INSTANCE = name;
  env.LB_DEV_INDEX = String(index);
  const command = renderTemplate(group.command, values);
  const announcement = `starting on port ${port}${extraPorts.length ? ` (+ ${extraPorts.join(', ')})` : ''}: ${shortened(command)}`;
  return { command, env, announcement, marker: instanceMarker(env) };
}

/** A command line as the log shows it: a 1 MB one (E2BIG) must not become a 1 MB log line. */
function shortened(command: string, max = 300): string {
  return command.length <= max ? command : `${command.slice(0, max)}... (${command.length} characters)`;
}
