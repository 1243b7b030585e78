/**
 * Talks to a running `lb-dev up` through its control socket. The socket is read from the
 * moment it connects, whatever is pending: an answer that belongs to no request (CONTROL_BUSY
 * from a full server, a line the server refused) is the answer of every request on this
 * connection, also of one written after it arrived.
 */
import { type Socket, createConnection } from 'node:net';
import { LbDevError } from '../core/errors.js';
import { splitLines } from '../adapters/logs/log-line.js';
import { type ControlResponse, UNATTRIBUTED_ID, encode } from './protocol.js';
import { parseReply } from './parse-reply.js';

/** One request waiting for its answer. */
interface Pending {
  answer(message: ControlResponse): void;
  fail(error: LbDevError): void;
}

function errorOf(message: ControlResponse): LbDevError | null {
  return 'error' in message ? new LbDevError(message.error.code, message.error.message, { details: message.error.details ?? [] }) : null;
}

export class ControlClient {
  private nextId = 1;
  /** True once the server closed the connection (its `up` ended), as opposed to a refused connect. */
  closedByServer = false;
  private closing = false;
  private closed = false;
  private readonly pending = new Map<number, Pending>();
  /** An answer to no request: the connection's end (CONTROL_BUSY), for every request on it. */
  private refusal: LbDevError | null = null;

  private constructor(
    private readonly socket: Socket,
    private readonly path: string,
  ) {
    const lines = splitLines({ maxLineBytes: 16 << 20 });
    socket.on('data', (chunk: Buffer) => {
      for (const line of lines.push(chunk)) if (line.trim()) this.receive(line);
    });
    // An EPIPE or ECONNRESET is followed by 'close', which says what it means.
    socket.on('error', () => undefined);
    socket.on('close', () => this.onClose());
  }

  static async connect(path: string, stateDir: string): Promise<ControlClient> {
    const socket = await new Promise<Socket>((resolve, reject) => {
      const s = createConnection(path);
      s.once('connect', () => resolve(s));
      s.once('error', (error: NodeJS.ErrnoException) =>
        reject(new LbDevError('NOT_RUNNING', `no lb-dev is running with state dir ${stateDir} (control socket ${path}: ${error.code ?? error.message})`)),
      );
    });
    return new ControlClient(socket, path);
  }

  close(): void {
    this.closing = true;
    this.socket.destroy();
  }

  /** One request, one answer. */
  async call<T>(method: string, params: Record<string, unknown> = {}): Promise<T> {
    let result: T | undefined;
    await this.stream(
      method,
      params,
      () => {},
      (r) => {
        result = r as T;
      },
    );
    return result as T;
  }

  /**
   * A streaming request: `onData` for every data message until the server ends it (or the
   * connection closes). Resolves with the final result.
   */
  stream(method: string, params: Record<string, unknown>, onData: (data: unknown) => void, onResult?: (result: unknown) => void): Promise<void> {
    if (this.refusal) return Promise.reject(this.refusal);
    if (this.closed) return Promise.reject(this.gone());
    const id = this.nextId++;
    return new Promise<void>((resolve, reject) => {
      const end = (error: unknown) => {
        this.pending.delete(id);
        reject(error);
      };
      this.pending.set(id, {
        fail: end,
        answer: (message) => {
          // A failing callback ends this request with its error instead of throwing from the listener.
          try {
            if ('data' in message) return onData(message.data);
            this.pending.delete(id);
            const error = errorOf(message);
            if (error) return reject(error);
            if ('result' in message) onResult?.(message.result);
            resolve();
          } catch (error) {
            end(error);
          }
        },
      });
      this.socket.write(encode({ id, method, params }));
    });
  }

  private receive(line: string): void {
    const message = parseReply(line);
    if (message instanceof LbDevError) return this.failAll(message);
    if (message.id !== UNATTRIBUTED_ID) return this.pending.get(message.id)?.answer(message);
    const error = errorOf(message) ?? new LbDevError('BAD_REPLY', 'expected an error in a reply to no request, got a result or data');
    this.refusal ??= error;
    this.failAll(error);
  }

  private onClose(): void {
    this.closed = true;
    // Refused (CONTROL_BUSY) is not "up ended": a follower must report it, not end quietly.
    this.closedByServer = !this.closing && this.refusal === null;
    this.failAll(this.refusal ?? this.gone());
  }

  private gone(): LbDevError {
    return new LbDevError('NOT_RUNNING', `lb-dev closed the control connection (${this.path}); it may have stopped`);
  }

  private failAll(error: LbDevError): void {
    for (const pending of [...this.pending.values()]) pending.fail(error);
  }
}
