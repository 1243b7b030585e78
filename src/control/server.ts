/**
 * The control socket of a running `lb-dev up`. Before listening it dials the socket: an
 * answer means another lb-dev owns this state dir; silence means a stale file from a run
 * that died, which is removed. The socket is owner-only (0600).
 *
 * `up` runs all day, so nothing a client sends may take it down or make it hold memory:
 * requests are checked at the boundary (validate-request.ts), lines and connections are
 * capped, a client that does not read its answers is paused and then dropped, and a
 * handler's failure of any kind becomes an INTERNAL answer. A request that asked for
 * heartbeats gets one every heartbeatMs until its answer (protocol.ts).
 */
import { chmod, unlink } from 'node:fs/promises';
import { type Server, type Socket, createConnection, createServer } from 'node:net';
import { LbDevError, isLbDevError } from '../core/errors.js';
import { BusyRefusal } from './busy-refusal.js';
import { startHeartbeat } from './heartbeat.js';
import { lineFramer } from './line-framer.js';
import { type ControlResponse, UNATTRIBUTED_ID, encode } from './protocol.js';
import { parseRequest } from './validate-request.js';

/** What a handler gets to answer a request; `stream` keeps the request open for `send`s. */
export interface RequestContext {
  params: Record<string, unknown>;
  /** For streaming methods: send one data message. Returns false once the client is gone. */
  send(data: unknown): boolean;
  /** Resolves when the client disconnects. */
  closed: Promise<void>;
  /** Socket write buffer in bytes (lets a streamer drop instead of piling up for a slow reader). */
  buffered(): number;
}

/** A handler returns the result, or for a stream resolves when the stream ends. */
export type Handler = (ctx: RequestContext) => Promise<unknown>;

export interface ControlServerLimits {
  /** A request line longer than this is answered with BAD_REQUEST and the connection closed. */
  maxLineBytes: number;
  /** Connections beyond this are answered with CONTROL_BUSY and closed. */
  maxConnections: number;
  /** Above this many unread answer bytes, the server stops reading the client's requests. */
  pauseAboveBytes: number;
  /** Above this many unread bytes the client is dropped at once... */
  dropAboveBytes: number;
  /** ...and so is one that stays above pauseAboveBytes this long without reading. */
  stallMs: number;
}

/**
 * Told of each request once it is answered: its method ('' when the line was not a valid
 * request for a known method, so clients cannot invent label values) and `ok` or the error code.
 */
export type RequestObserver = (method: string, outcome: string) => void;

export const DEFAULT_LIMITS: ControlServerLimits = {
  maxLineBytes: 64 << 10,
  maxConnections: 64,
  pauseAboveBytes: 1 << 20,
  dropAboveBytes: 32 << 20,
  stallMs: 30_000,
};

export interface ControlServerStats {
  connections: number;
  /** Connections refused because maxConnections were open. */
  refused: number;
  /** Clients dropped because they did not read their answers. */
  droppedSlow: number;
  /** Connections whose requests are not being read right now (unread answers above the bound). */
  paused: number;
  /** Unread answer bytes over all connections. */
  buffered: number;
}

function dial(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection(path);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** The message of anything thrown: an Error, an LbDevError, a string, null... */
function asLbDevError(thrown: unknown): LbDevError {
  if (isLbDevError(thrown)) return thrown;
  if (thrown instanceof Error) return new LbDevError('INTERNAL', thrown.message || thrown.name);
  let text: string;
  try {
    text = typeof thrown === 'string' ? thrown : (JSON.stringify(thrown) ?? String(thrown));
  } catch {
    text = Object.prototype.toString.call(thrown);
  }
  return new LbDevError('INTERNAL', `a handler threw a non-Error value: ${text}`);
}

interface Connection {
  socket: Socket;
  closed: Promise<void>;
  paused: boolean;
  stallTimer: NodeJS.Timeout | null;
}

export class ControlServer {
  private server: Server | null = null;
  private readonly connections = new Set<Connection>();
  private readonly handlers: ReadonlyMap<string, Handler>;
  private readonly methods: ReadonlySet<string>;
  private readonly limits: ControlServerLimits;
  private refused = 0;
  private readonly busy = new BusyRefusal();
  private droppedSlow = 0;
  private readonly requestObservers = new Set<RequestObserver>();

  constructor(
    private readonly path: string,
    handlers: Record<string, Handler>,
    limits: Partial<ControlServerLimits> = {},
  ) {
    // Own enumerable keys only: `constructor`, `toString`, `__proto__` are never methods.
    this.handlers = new Map(Object.entries(handlers));
    this.methods = new Set(this.handlers.keys());
    this.limits = { ...DEFAULT_LIMITS, ...limits };
  }

  async listen(): Promise<void> {
    if (await dial(this.path)) {
      throw new LbDevError('ALREADY_RUNNING', `another lb-dev is already running with this state dir (its control socket ${this.path} answers)`);
    }
    await unlink(this.path).catch(() => undefined);
    const server = createServer((socket) => this.accept(socket));
    await new Promise<void>((resolve, reject) => {
      server.once('error', (error: NodeJS.ErrnoException) =>
        reject(
          error.code === 'EADDRINUSE'
            ? new LbDevError('ALREADY_RUNNING', `another lb-dev just started with this state dir (${this.path})`)
            : new LbDevError('STATE_DIR_UNUSABLE', `cannot listen on control socket ${this.path}: ${error.message}`),
        ),
      );
      server.listen(this.path, () => resolve());
    });
    // After listening, a server error (e.g. EMFILE on accept) must not become an uncaught one.
    server.on('error', () => undefined);
    await chmod(this.path, 0o600);
    this.server = server;
  }

  async close(): Promise<void> {
    for (const connection of this.connections) connection.socket.destroy();
    if (this.server) await new Promise<void>((resolve) => this.server!.close(() => resolve()));
    this.server = null;
    await unlink(this.path).catch(() => undefined);
  }

  /** Adds an observer of answered requests (metrics); returns the way to remove it. */
  observeRequests(observer: RequestObserver): () => void {
    this.requestObservers.add(observer);
    return () => {
      this.requestObservers.delete(observer);
    };
  }

  private answered(method: string, outcome: string): void {
    for (const observer of this.requestObservers) observer(method, outcome);
  }

  stats(): ControlServerStats {
    let paused = 0;
    let buffered = 0;
    for (const c of this.connections) {
      if (c.paused) paused++;
      buffered += c.socket.writableLength;
    }
    return { connections: this.connections.size, refused: this.refused, droppedSlow: this.droppedSlow, paused, buffered };
  }

  private accept(socket: Socket): void {
    socket.on('error', () => socket.destroy());
    if (this.connections.size >= this.limits.maxConnections) {
      this.refused++;
      this.busy.refuse(socket, `expected at most ${this.limits.maxConnections} open control connections, this would be one more`);
      return;
    }
    let resolveClosed: () => void = () => {};
    const connection: Connection = {
      socket,
      closed: new Promise<void>((resolve) => {
        resolveClosed = resolve;
      }),
      paused: false,
      stallTimer: null,
    };
    this.connections.add(connection);
    socket.on('close', () => {
      this.connections.delete(connection);
      if (connection.stallTimer) clearTimeout(connection.stallTimer);
      resolveClosed();
    });
    socket.on('drain', () => this.resume(connection));
    const framer = lineFramer(this.limits.maxLineBytes);
    socket.on('data', (chunk: Buffer) => {
      const { lines, tooLong } = framer.push(chunk);
      for (const line of lines) {
        if (line.trim()) void this.handle(connection, line);
      }
      if (tooLong) {
        this.reply(connection, {
          id: UNATTRIBUTED_ID,
          error: {
            code: 'BAD_REQUEST',
            message: `expected request lines of at most ${this.limits.maxLineBytes} bytes, got a longer one; closing the connection`,
          },
        });
        socket.removeAllListeners('data');
        socket.end();
        socket.destroySoon();
      }
    });
  }

  /** Writes one answer; applies the unread-output bounds. False once the client is gone. */
  private reply(connection: Connection, message: ControlResponse): boolean {
    const { socket } = connection;
    if (socket.destroyed || !socket.writable) return false;
    let line: string;
    try {
      line = encode(message);
    } catch (error) {
      // A result JSON cannot express (a BigInt, a cycle): the request still gets an answer.
      line = encode({ id: message.id, error: { code: 'INTERNAL', message: `the answer could not be encoded as JSON: ${asLbDevError(error).message}` } });
    }
    socket.write(line);
    this.applyBackpressure(connection);
    return !socket.destroyed;
  }

  private applyBackpressure(connection: Connection): void {
    const { socket } = connection;
    const unread = socket.writableLength;
    if (unread > this.limits.dropAboveBytes) {
      this.dropSlow(connection);
    } else if (unread > this.limits.pauseAboveBytes && !connection.paused) {
      connection.paused = true;
      socket.pause();
      connection.stallTimer = setTimeout(() => this.dropSlow(connection), this.limits.stallMs);
      connection.stallTimer.unref();
    }
  }

  private resume(connection: Connection): void {
    if (!connection.paused) return;
    connection.paused = false;
    if (connection.stallTimer) clearTimeout(connection.stallTimer);
    connection.stallTimer = null;
    connection.socket.resume();
  }

  private dropSlow(connection: Connection): void {
    if (connection.socket.destroyed) return;
    this.droppedSlow++;
    connection.socket.destroy();
  }

  private async handle(connection: Connection, line: string): Promise<void> {
    const parsed = parseRequest(line, this.methods);
    if (!parsed.ok) {
      this.reply(connection, parsed.reply);
      this.answered('', parsed.reply.error.code);
      return;
    }
    const { id, method, params, heartbeatMs } = parsed.request;
    const ctx: RequestContext = {
      params,
      send: (data) => this.reply(connection, { id, data }),
      closed: connection.closed,
      buffered: () => connection.socket.writableLength,
    };
    const stopHeartbeat = startHeartbeat(heartbeatMs, () => this.reply(connection, { id, heartbeat: true }));
    let answer: ControlResponse;
    try {
      answer = { id, result: (await this.handlers.get(method)!(ctx)) ?? null };
    } catch (thrown) {
      const e = asLbDevError(thrown);
      answer = { id, error: { code: e.code, message: e.message, details: [...e.details] } };
    }
    stopHeartbeat();
    this.reply(connection, answer);
    this.answered(method, 'error' in answer ? answer.error.code : 'ok');
  }
}
