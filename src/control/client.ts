/** Talks to a running `lb-dev up` through its control socket. */
import { type Socket, createConnection } from 'node:net';
import { LbDevError } from '../core/errors.js';
import { splitLines } from '../adapters/logs/log-line.js';
import { UNATTRIBUTED_ID, encode } from './protocol.js';
import { parseReply } from './parse-reply.js';

export class ControlClient {
  private nextId = 1;
  /** True once the server closed the connection (its `up` ended), as opposed to a refused connect. */
  closedByServer = false;
  private closing = false;

  private constructor(
    private readonly socket: Socket,
    private readonly path: string,
  ) {}

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
    const id = this.nextId++;
    const lines = splitLines({ maxLineBytes: 16 << 20 });
    return new Promise<void>((resolve, reject) => {
      const cleanup = () => {
        this.socket.off('data', onChunk);
        this.socket.off('close', onClose);
      };
      const onClose = () => {
        this.closedByServer = !this.closing;
        cleanup();
        reject(new LbDevError('NOT_RUNNING', `lb-dev closed the control connection (${this.path}); it may have stopped`));
      };
      const onChunk = (chunk: Buffer) => {
        for (const line of lines.push(chunk)) {
          if (!line.trim()) continue;
          const message = parseReply(line);
          if (message instanceof LbDevError) {
            cleanup();
            reject(message);
            return;
          }
          if (message.id !== id && message.id !== UNATTRIBUTED_ID) continue;
          if ('data' in message) {
            // A failing callback ends this request with its error instead of throwing from the listener.
            try {
              onData(message.data);
            } catch (error) {
              cleanup();
              reject(error);
              return;
            }
            continue;
          }
          cleanup();
          if ('error' in message) {
            reject(new LbDevError(message.error.code, message.error.message, { details: message.error.details ?? [] }));
            return;
          }
          try {
            if ('result' in message) onResult?.(message.result);
            resolve();
          } catch (error) {
            reject(error);
          }
          return;
        }
      };
      this.socket.on('data', onChunk);
      this.socket.on('close', onClose);
      this.socket.write(encode({ id, method, params }));
    });
  }
}
