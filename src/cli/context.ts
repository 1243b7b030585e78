/** Loading the config and reaching a running `up`, as every command does it. */
import { loadConfig } from '../adapters/config-file.js';
import { stateLayout } from '../app/state-dir.js';
import { ControlClient } from '../control/client.js';
import type { ConfigOverrides, LbDevConfig } from '../core/config/types.js';
import { demoCommand } from '../demo/command.js';
import type { LocationFlags } from './options.js';

export function loadResolvedConfig(flags: LocationFlags, overrides: ConfigOverrides): Promise<LbDevConfig> {
  return loadConfig({ configPath: flags.config, cwd: process.cwd(), overrides, demoCommand: demoCommand() });
}

/** Connects to the `up` that owns the state dir named by --state-dir, or by the config, or `.lb-dev`. */
export async function connect(flags: LocationFlags): Promise<ControlClient> {
  const config = await loadResolvedConfig(flags, flags.stateDir ? { stateDir: flags.stateDir } : {});
  const layout = stateLayout(config.stateDir);
  return ControlClient.connect(layout.socket, layout.root);
}

/** Runs `fn` with a connected client and always closes it. */
export async function withClient<T>(flags: LocationFlags, fn: (client: ControlClient) => Promise<T>): Promise<T> {
  const client = await connect(flags);
  try {
    return await fn(client);
  } finally {
    client.close();
  }
}

export function useColor(stream: NodeJS.WriteStream): boolean {
  return Boolean(stream.isTTY) && !process.env.NO_COLOR;
}
