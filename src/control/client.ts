/**
 * Talks to a running `lb-dev up` through its control socket. The socket is read from the
 * moment it connects, whatever is pending: an answer that belongs to no request (CONTROL_BUSY
 * from a full server, a line the server refused) is the answer of every request on this
 * connection, also of one written after it arrived.
 *
 * Nothing waits forever: every request asks for heartbeats, and once `timeoutMs` pass with a
 * request outstanding and nothing at all from the server (a frozen `up`: SIGSTOP, a debugger),
 * every request fails with CONTROL_TIMEOUT. A long call (a rolling restart, `logs -f`) lasts
 * as long as it takes while the heartbeats come.
 */
import { type Socket, createConnection } from 'node:net';
import { DEFAULT_CONTROL_TIMEOUT_MS } from '../core/control-timeout.js';
import { ERROR_CODES, LbDevError } from '../core/errors.js';
import { formatDuration } from '../core/text/duration.js';
import { splitLines } from '../adapters/logs/log-line.js';
import { type ControlResponse, MIN_HEARTBEAT_MS, UNATTRIBUTED_ID, encode } from './protocol.js';
import { parseReply } from './parse-reply.js';

export interface ControlClientOptions {
  /** The longest silence from the server while a request is outstanding (default 10 s). */
  timeoutMs?: number;
  /** The pid of the `up` that owns the socket (its run.json), for the timeout's message; null when unknown. */
  upPid?: () => number | null;
}

/** A heartbeat every quarter of the timeout, at most every 5 s: a few may be late before the client gives up. */
export function heartbeatFor(timeoutMs: number): number {
  return Math.min(5_000, Math.max(MIN_HEARTBEAT_MS, Math.floor(timeoutMs / 4)));
}

/** One request waiting for its answer. */
interface Pending {
  method: string;
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
  /** An answer to no request: the connection's end (CONTROL_BUSY, CONTROL_TIMEOUT), for every request on it. */
  private refusal: LbDevError | null = null;
  private silence: NodeJS.Timeout | null = null;
  private readonly timeoutMs: number;

  private constructor(
    private readonly socket: Socket,
    private readonly path: string,
    private readonly options: ControlClientOptions,
  ) {
    this.timeoutMs = options.timeoutMs ?? DEFAULT_CONTROL_TIMEOUT_MS;
    const lines = splitLines({ maxLineBytes: 16 << 20 });
    socket.on('data', (chunk: Buffer) => {
      for (const line of lines.push(chunk)) if (line.trim()) this.receive(line);
      this.watchSilence();
    });
    // An EPIPE or ECONNRESET is followed by 'close', which says what it means.
    socket.on('error', () => undefined);
    socket.on('close', () => this.onClose());
  }

  static async connect(path: string, stateDir: string, options: ControlClientOptions = {}): Promise<ControlClient> {
    const timeoutMs = options.timeoutMs ?? DEFAULT_CONTROL_TIMEOUT_MS;
    const socket = await new Promise<Socket>((resolve, reject) => {
      const s = createConnection(path);
      const timer = setTimeout(() => {
        s.destroy();
        reject(timeoutError(options, 'accept the connection', timeoutMs));
      }, timeoutMs);
      s.once('connect', () => {
        clearTimeout(timer);
        resolve(s);
      });
      s.once('error', (error: NodeJS.ErrnoException) => {
        clearTimeout(timer);
        reject(new LbDevError('NOT_RUNNING', `no lb-dev is running with state dir ${stateDir} (control socket ${path}: ${error.code ?? error.message})`));
      });
    });
    return new ControlClient(socket, path, options);
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
        method,
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
      this.socket.write(encode({ id, method, params, heartbeatMs: heartbeatFor(this.timeoutMs) }));
      this.watchSilence();
    });
  }

  /** (Re)starts the silence timer while a request is outstanding; stops it when none is. */
  private watchSilence(): void {
    if (this.silence) clearTimeout(this.silence);
    this.silence = null;
    const oldest = this.pending.values().next().value;
    if (!oldest || this.closed) return;
    this.silence = setTimeout(() => {
      const error = timeoutError(this.options, `answer \`${oldest.method}\``, this.timeoutMs);
      this.refusal ??= error;
      this.failAll(error);
      this.close();
    }, this.timeoutMs);
  }

  private receive(line: string): void {
    const message = parseReply(line);
    if (message instanceof LbDevError) return this.failAll(message);
    // Its only news is that the server is alive, which every line says (watchSilence).
    if ('heartbeat' in message) return;
    if (message.id !== UNATTRIBUTED_ID) return this.pending.get(message.id)?.answer(message);
    const error = errorOf(message) ?? new LbDevError('BAD_REPLY', 'expected an error in a reply to no request, got a result or data');
    this.refusal ??= error;
    this.failAll(error);
  }

  private onClose(): void {
    this.closed = true;
    if (this.silence) clearTimeout(this.silence);
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

/** `lb-dev up (pid 4242) did not answer \`status\` within 10s`, with the pid in the fix when known. */
function timeoutError(options: ControlClientOptions, what: string, timeoutMs: number): LbDevError {
  let pid: number | null = null;
  try {
    pid = options.upPid?.() ?? null;
  } catch {
    // Unknown: the message names no pid.
  }
  const who = pid === null ? 'lb-dev up' : `lb-dev up (pid ${pid})`;
  const fix = pid === null ? undefined : ERROR_CODES.CONTROL_TIMEOUT.fix.replaceAll('<pid>', String(pid));
  return new LbDevError('CONTROL_TIMEOUT', `${who} did not ${what} within ${formatDuration(timeoutMs)}`, fix === undefined ? {} : { fix });
}
