/**
 * The dashboard's connection policy: whoever holds this run's token always gets in, however
 * many connections other local programs (or a runaway page) open.
 *
 * - A client must send its request headers within HEADERS_TIMEOUT_MS (checked every second),
 *   and its whole request within REQUEST_TIMEOUT_MS: a socket trickling a header byte at a time
 *   is closed.
 * - At most MAX_UNAUTHENTICATED connections on which no request has carried the token yet: one
 *   more drops the OLDEST of them, not the new one, so a new connection is always served (the
 *   token holder's among them); once a request on it carries the token it no longer counts.
 * - At most MAX_STREAMS_PER_TOKEN live streams (SSE) per token: one more closes the oldest (a
 *   browser's EventSource reconnects on its own).
 * - MAX_CONNECTIONS over all, a backstop for file descriptors that the two caps above keep well
 *   clear of (Node drops the new connection beyond it).
 */
import type { ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

export const HEADERS_TIMEOUT_MS = 5_000;
export const REQUEST_TIMEOUT_MS = 10_000;
/** How often Node checks the two timeouts above (its default, 30 s, would let a trickler stay 35 s). */
export const TIMEOUT_CHECK_MS = 1_000;
export const MAX_UNAUTHENTICATED = 64;
export const MAX_STREAMS_PER_TOKEN = 16;
export const MAX_CONNECTIONS = 256;

export interface ConnectionLimitsOptions {
  maxUnauthenticated: number;
  maxStreamsPerToken: number;
}

export interface ConnectionStats {
  unauthenticated: number;
  streams: number;
  /** Unauthenticated connections dropped to make room for a newer one. */
  droppedUnauthenticated: number;
  /** Streams closed because a newer one opened for the same token. */
  closedStreams: number;
}

export class ConnectionLimits {
  /** In the order they came: the first is the oldest. */
  private readonly unauthenticated = new Set<Socket>();
  private readonly streams = new Map<string, Set<ServerResponse>>();
  private droppedUnauthenticated = 0;
  private closedStreams = 0;
  private readonly options: ConnectionLimitsOptions;

  constructor(options: Partial<ConnectionLimitsOptions> = {}) {
    this.options = { maxUnauthenticated: MAX_UNAUTHENTICATED, maxStreamsPerToken: MAX_STREAMS_PER_TOKEN, ...options };
  }

  /** A new connection (the server's 'connection' event): unauthenticated until a request on it carries the token. */
  accept(socket: Socket): void {
    this.unauthenticated.add(socket);
    socket.once('close', () => this.unauthenticated.delete(socket));
    if (this.unauthenticated.size <= this.options.maxUnauthenticated) return;
    const oldest = this.unauthenticated.values().next().value;
    if (!oldest) return;
    this.unauthenticated.delete(oldest);
    this.droppedUnauthenticated++;
    oldest.destroy();
  }

  /** A request on `socket` carried the token: the connection no longer counts against the cap. */
  authenticated(socket: Socket): void {
    this.unauthenticated.delete(socket);
  }

  /** A stream opened with `token` on `res`; the oldest of that token's streams is closed when there are too many. */
  stream(token: string, res: ServerResponse): void {
    let open = this.streams.get(token);
    if (!open) {
      open = new Set();
      this.streams.set(token, open);
    }
    const mine = open;
    mine.add(res);
    res.once('close', () => {
      mine.delete(res);
      if (mine.size === 0 && this.streams.get(token) === mine) this.streams.delete(token);
    });
    if (mine.size <= this.options.maxStreamsPerToken) return;
    const oldest = mine.values().next().value;
    if (!oldest) return;
    mine.delete(oldest);
    this.closedStreams++;
    // The connection goes with it: an ended stream would leave an idle socket behind.
    oldest.destroy();
  }

  stats(): ConnectionStats {
    let streams = 0;
    for (const open of this.streams.values()) streams += open.size;
    return { unauthenticated: this.unauthenticated.size, streams, droppedUnauthenticated: this.droppedUnauthenticated, closedStreams: this.closedStreams };
  }
}
