/** A control-socket client without the protocol: writes raw lines, reads raw reply lines. */
import { type Socket, createConnection } from 'node:net';

export interface RawClient {
  socket: Socket;
  /** Resolves with the next reply line parsed as JSON (or the raw text when it is not JSON). */
  next(): Promise<unknown>;
  /** Sends `text` followed by a newline and waits for one reply. */
  ask(text: string): Promise<unknown>;
  /** Resolves when the server closed the connection. */
  closed: Promise<void>;
}

export async function rawClient(path: string): Promise<RawClient> {
  const socket = createConnection(path);
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  socket.on('error', () => undefined);
  const queued: unknown[] = [];
  const waiting: Array<(value: unknown) => void> = [];
  let partial = '';
  socket.setEncoding('utf8');
  socket.on('data', (text: string) => {
    const parts = (partial + text).split('\n');
    partial = parts.pop() ?? '';
    for (const part of parts) {
      let value: unknown;
      try {
        value = JSON.parse(part);
      } catch {
        value = part;
      }
      const waiter = waiting.shift();
      if (waiter) waiter(value);
      else queued.push(value);
    }
  });
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  const next = () => (queued.length ? Promise.resolve(queued.shift()) : new Promise<unknown>((resolve) => waiting.push(resolve)));
  return {
    socket,
    next,
    ask: (text) => {
      socket.write(`${text}\n`);
      return next();
    },
    closed,
  };
}
