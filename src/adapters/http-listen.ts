/**
 * Listening and closing for the small HTTP servers `up` runs on loopback (the dashboard, the
 * metrics endpoint): exclusive listen with coded errors, and a close that never waits on idle
 * keep-alive connections.
 */
import type { Server } from 'node:http';
import { LbDevError } from '../core/errors.js';

/**
 * Listens on host:port. EADDRINUSE -> PORT_IN_USE (`what` names the port and its setting);
 * any other failure -> `otherCode`. Later server errors are ignored (each request handles its own).
 */
export async function listenLoopback(server: Server, host: string, port: number, what: string, otherCode: 'INTERNAL' | 'METRICS_LISTEN_FAILED'): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'EADDRINUSE'
          ? new LbDevError('PORT_IN_USE', `${what} on ${host}:${port} is already in use by another process`)
          : new LbDevError(otherCode, `${what} could not listen on ${host}:${port}: ${error.message}`),
      ),
    );
    server.listen({ host, port, exclusive: true }, () => resolve());
  });
  server.on('error', () => undefined);
}

/** Closes `server`, dropping its connections first (idle keep-alive ones would hold up shutdown). */
export async function closeServer(server: Server | null): Promise<void> {
  if (!server) return;
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}
