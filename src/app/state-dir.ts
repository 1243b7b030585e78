/** Where lb-dev keeps its run-time files inside the state directory (default `.lb-dev/`). */
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

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
