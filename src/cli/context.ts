/**
 * Loading the config and reaching a running `up`, as every command does it. The config
 * reader (YAML parser and schema) is imported only when a command needs the config: a
 * client command given --state-dir goes straight to the socket.
 */
import { type StateLayout, runPidOf, stateLayout } from '../app/state-dir.js';
import { OperationsClient } from '../control/operations-client.js';
import type { ConfigOverrides, LbDevConfig } from '../core/config/types.js';
import { CONTROL_TIMEOUT_ENV, parseControlTimeout } from '../core/control-timeout.js';
import { LbDevError } from '../core/errors.js';
import type { LocationFlags } from './options.js';

export async function loadResolvedConfig(flags: LocationFlags, overrides: ConfigOverrides): Promise<LbDevConfig> {
  const [{ loadConfig }, { demoCommand }] = await Promise.all([import('../adapters/config-file.js'), import('../demo/command.js')]);
  return loadConfig({ configPath: flags.config, cwd: process.cwd(), overrides, demoCommand: demoCommand() });
}

/** The state dir of the `up` to talk to: --state-dir, or the config's (`.lb-dev` by default). */
async function stateDirOf(flags: LocationFlags): Promise<string> {
  if (flags.stateDir === undefined) return (await loadResolvedConfig(flags, {})).stateDir;
  if (flags.stateDir.trim() === '') throw new LbDevError('USAGE', '--state-dir: expected a directory path, got an empty string');
  return flags.stateDir;
}

/** The state dir layout named by --state-dir, or by the config, or `.lb-dev`. */
export async function layoutOf(flags: LocationFlags): Promise<StateLayout> {
  return stateLayout(await stateDirOf(flags));
}

/**
 * Connects to the `up` that owns the state dir named by --state-dir, or by the config, or
 * `.lb-dev`; a call fails with CONTROL_TIMEOUT after LB_DEV_CONTROL_TIMEOUT ms of silence.
 */
export async function connect(flags: LocationFlags): Promise<OperationsClient> {
  const timeoutMs = parseControlTimeout(process.env[CONTROL_TIMEOUT_ENV]);
  const layout = await layoutOf(flags);
  return OperationsClient.connect(layout.socket, layout.root, { timeoutMs, upPid: () => runPidOf(layout) });
}

/**
 * For `logs -f` and `status --watch`: `up` ending (Ctrl-C, `lb-dev down`) closes the
 * connection, a normal end for a follower: say so and succeed. Other errors stay errors.
 */
export async function untilUpEnds(client: OperationsClient, follow: Promise<unknown>, say: (text: string) => void): Promise<void> {
  try {
    await follow;
  } catch (error) {
    if (!client.closedByServer) throw error;
    say('lb-dev stopped');
  }
}

/** Runs `fn` with a connected client and always closes it. */
export async function withClient<T>(flags: LocationFlags, fn: (client: OperationsClient) => Promise<T>): Promise<T> {
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
