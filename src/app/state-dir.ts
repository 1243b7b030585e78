/** Where lb-dev keeps its run-time files inside the state directory (default `.lb-dev/`). */
import { createHash } from 'node:crypto';
import { constants, readFileSync } from 'node:fs';
import { access, chmod, mkdir, open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { LbDevError } from '../core/errors.js';

export interface StateLayout {
  root: string;
  /** The control socket `lb-dev status` and friends talk to. */
  socket: string;
  logsDir: string;
  /** lb-dev's own messages as JSON lines with their fields (pino); the text log is the hub's logs/lb-dev.log. */
  supervisorLog: string;
  traefikDir: string;
  /** The directory Traefik's file provider watches (bind-mounted as a directory). */
  dynamicDir: string;
  dynamicFile: string;
  /** Temp files for atomic writes: a sibling of dynamicDir, so Traefik never sees them. */
  tmpDir: string;
  staticFile: string;
  accessLog: string;
  /** What the running `up` started (pids, container), for cleaning up after a supervisor that died. */
  runFile: string;
}

/** Unix socket paths are limited to ~104 bytes; a deep state dir gets a socket under the temp dir instead. */
const MAX_SOCKET_PATH = 100;

export function stateLayout(stateDir: string): StateLayout {
  const root = resolve(stateDir);
  const traefikDir = join(root, 'traefik');
  const dynamicDir = join(traefikDir, 'dynamic');
  let socket = join(root, 'lb-dev.sock');
  if (Buffer.byteLength(socket) > MAX_SOCKET_PATH) {
    const hash = createHash('sha256').update(root).digest('hex').slice(0, 16);
    socket = join(tmpdir(), `lb-dev-${hash}.sock`);
  }
  return {
    root,
    socket,
    logsDir: join(root, 'logs'),
    supervisorLog: join(root, 'logs', 'lb-dev.jsonl'),
    traefikDir,
    dynamicDir,
    dynamicFile: join(dynamicDir, 'lb-dev.yaml'),
    tmpDir: join(traefikDir, 'tmp'),
    staticFile: join(traefikDir, 'static.yaml'),
    // Inside traefik/, which the Docker runtime mounts: the container writes it where we read it.
    accessLog: join(traefikDir, 'access.log'),
    runFile: join(root, 'run.json'),
  };
}

/**
 * Creates the state dir and the directories lb-dev writes into, owner-only (0700: instance
 * output and the routes are nobody else's to read), and checks each is a writable directory,
 * so that a problem is STATE_DIR_UNUSABLE naming the directory rather than an EACCES later.
 */
export async function prepareStateDir(layout: StateLayout): Promise<void> {
  for (const dir of [layout.root, layout.logsDir, layout.traefikDir, layout.dynamicDir, layout.tmpDir]) {
    try {
      await mkdir(dir, { recursive: true, mode: 0o700 });
      await chmod(dir, 0o700); // one made by an earlier version, or by hand, with the umask's mode
      await access(dir, constants.W_OK | constants.X_OK);
    } catch (error) {
      throw new LbDevError('STATE_DIR_UNUSABLE', `expected ${dir} to be a directory lb-dev can write, got ${(error as Error).message}`, { cause: error });
    }
  }
}

/** Writes `path` as an owner-only file (0600), whatever mode an earlier file of that name had. */
export async function writeOwnerOnly(path: string, content: string): Promise<void> {
  const file = await open(path, 'w', 0o600);
  try {
    await file.chmod(0o600);
    await file.writeFile(content);
  } finally {
    await file.close();
  }
}

/** The pid in run.json (what the running `up` wrote at its start), or null when there is none to read. */
export function runPidOf(layout: StateLayout): number | null {
  try {
    const pid: unknown = (JSON.parse(readFileSync(layout.runFile, 'utf8')) as { pid?: unknown }).pid;
    return Number.isSafeInteger(pid) && (pid as number) > 0 ? (pid as number) : null;
  } catch {
    return null;
  }
}
