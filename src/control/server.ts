/**
 * The control socket of a running `lb-dev up`. Before listening it dials the socket: an
 * answer means another lb-dev owns this state dir; silence means a stale file from a run
 * that died, which is removed. The socket is owner-only (0600).
 */
import { chmod, unlink } from 'node:fs/promises';
import { type Server, type Socket, createConnection, createServer } from 'node:net';
import { LbDevError, isLbDevError } from '../core/errors.js';
import { splitLines } from '../adapters/logs/log-line.js';
import { type ControlRequest, type ControlResponse, encode } from './protocol.js';

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

function dial(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection(path);
    socket.once('connect', () => { socket.destroy(); resolve(true); });
    socket.once('error', () => resolve(false));
  });
}

export class ControlServer {
  private server: Server | null = null;
  private readonly sockets = new Set<Socket>();

  constructor(private readonly path: string, private readonly handlers: Record<string, Handler>) {}

  async listen(): Promise<void> {
    if (await dial(this.path)) {
      throw new LbDevError('ALREADY_RUNNING', `another lb-dev is already running with this state dir (its control socket ${this.path} answers)`);
    }
    await unlink(this.path).catch(() => undefined);
    const server = createServer((socket) => this.accept(socket));
    await new Promise<void>((resolve, reject) => {
      server.once('error', (error: NodeJS.ErrnoException) => reject(error.code === 'EADDRINUSE'
        ? new LbDevError('ALREADY_RUNNING', `another lb-dev just started with this state dir (${this.path})`)
        : new LbDevError('STATE_DIR_UNUSABLE', `cannot listen on control socket ${this.path}: ${error.message}`)));
      server.listen(this.path, () => resolve());
    });
    await chmod(this.path, 0o600);
    this.server = server;
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    if (this.server) await new Promise<void>((resolve) => this.server!.close(() => resolve()));
    this.server = null;
    await unlink(this.path).catch(() => undefined);
  }

  private accept(socket: Socket): void {
    this.sockets.add(socket);
    const lines = splitLines({ maxLineBytes: 1 << 20 });
    let resolveClosed: () => void = () => {};
    const closed = new Promise<void>((resolve) => { resolveClosed = resolve; });
    socket.on('close', () => { this.sockets.delete(socket); resolveClosed(); });
    socket.on('error', () => socket.destroy());
    socket.on('data', (chunk) => {
      for (const line of lines.push(chunk)) {
        if (line.trim()) void this.handle(socket, line, closed);
      }
    });
  }

  private async handle(socket: Socket, line: string, closed: Promise<void>): Promise<void> {
    const reply = (message: ControlResponse) => {
      if (socket.destroyed || !socket.writable) return false;
      socket.write(encode(message));
      return true;
    };
    let request: ControlRequest;
    try {
      request = JSON.parse(line) as ControlRequest;
    } catch {
      reply({ id: -1, error: { code: 'CONTROL_PROTOCOL', message: 'expected one JSON request per line' } });
      return;
    }
    const handler = this.handlers[request.method];
    if (!handler) {
      reply({ id: request.id, error: { code: 'CONTROL_PROTOCOL', message: `unknown method ${JSON.stringify(request.method)}` } });
      return;
    }
    const ctx: RequestContext = {
      params: request.params ?? {},
      send: (data) => reply({ id: request.id, data }),
      closed,
      buffered: () => socket.writableLength,
    };
    try {
      const result = await handler(ctx);
      reply({ id: request.id, result: result ?? null });
    } catch (error) {
      const e = isLbDevError(error) ? error : new LbDevError('INTERNAL', (error as Error).message ?? String(error));
      reply({ id: request.id, error: { code: e.code, message: e.message, details: [...e.details] } });
    }
  }
}
