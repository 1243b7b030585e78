/** Flag parsing shared by commands: values are checked here, ranges by the config schema. */
import type { Command } from 'commander';
import { LbDevError } from '../core/errors.js';
import { DURATION_TOO_LONG, fitsTimer, formatDuration, parseDuration } from '../core/text/duration.js';
import { TRAEFIK_MODES } from '../core/config/keys.js';
import type { ConfigOverrides, TraefikMode } from '../core/config/types.js';

export type { TraefikMode };

export function wholeNumber(flag: string) {
  return (value: string): number => {
    if (!/^\d+$/.test(value.trim())) throw new LbDevError('USAGE', `${flag}: expected a whole number, got ${JSON.stringify(value)}`);
    return Number(value);
  };
}

/**
 * A duration flag (`500ms`, `5s`, `2m`) parsed to milliseconds, naming the flag when it is
 * wrong; from `min` (an interval of 0 would be a busy loop) to the longest a timer can wait.
 */
export function durationFlag(flag: string, min = 0) {
  return (value: string): number => {
    let ms: number;
    try {
      ms = parseDuration(value);
    } catch (error) {
      throw new LbDevError('USAGE', `${flag}: ${(error as Error).message}`);
    }
    if (ms < min) throw new LbDevError('USAGE', `${flag}: expected a duration of at least ${formatDuration(min)}, got ${JSON.stringify(value)}`);
    if (!fitsTimer(ms)) throw new LbDevError('USAGE', `${flag}: expected ${DURATION_TOO_LONG}, got ${JSON.stringify(value)}`);
    return ms;
  };
}

export function traefikMode(value: string): TraefikMode {
  const mode = TRAEFIK_MODES.find((known) => known === value);
  if (mode !== undefined) return mode;
  throw new LbDevError('USAGE', `--traefik: expected ${TRAEFIK_MODES.slice(0, -1).join(', ')} or ${TRAEFIK_MODES.at(-1)}, got ${JSON.stringify(value)}`);
}

/** --config and --state-dir: every command that needs to find a running `up` takes them. */
export function addLocationOptions(command: Command): Command {
  return command
    .option('--config <file>', 'config file (default: lb-dev.config.yaml in this directory, if present)')
    .option('--state-dir <dir>', 'state directory: control socket, logs, Traefik config (default: .lb-dev)');
}

export interface LocationFlags {
  config?: string;
  stateDir?: string;
}

export function overridesFrom(flags: LocationFlags & ConfigOverrides): ConfigOverrides {
  const overrides: ConfigOverrides = {};
  if (flags.instances !== undefined) overrides.instances = flags.instances;
  if (flags.command !== undefined) overrides.command = flags.command;
  if (flags.port !== undefined) overrides.port = flags.port;
  if (flags.apiPort !== undefined) overrides.apiPort = flags.apiPort;
  if (flags.dashboardPort !== undefined) overrides.dashboardPort = flags.dashboardPort;
  if (flags.metricsPort !== undefined) overrides.metricsPort = flags.metricsPort;
  if (flags.traefik !== undefined) overrides.traefik = flags.traefik;
  if (flags.host !== undefined) overrides.host = flags.host;
  if (flags.stateDir !== undefined) overrides.stateDir = flags.stateDir;
  if (flags.monitoring !== undefined) overrides.monitoring = flags.monitoring;
  return overrides;
}

/** preset rocketchat: --mode, --mongo-url, and MONGO_URL from the environment (used only with the preset). */
export function presetOverrides(flags: { mode?: string; mongoUrl?: string }, env: NodeJS.ProcessEnv = process.env): ConfigOverrides {
  const overrides: ConfigOverrides = {};
  if (flags.mode !== undefined) overrides.mode = flags.mode;
  if (flags.mongoUrl !== undefined) overrides.mongoUrl = flags.mongoUrl;
  if (env.MONGO_URL !== undefined && env.MONGO_URL !== '') overrides.envMongoUrl = env.MONGO_URL;
  return overrides;
}
