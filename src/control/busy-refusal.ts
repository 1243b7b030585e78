/**
 * Refusing a control connection beyond the cap: CONTROL_BUSY, then a half-close, so that the
 * client reads the answer and its end. Not a full close: a client that writes its request
 * before reading (the CLI does, after loading its command) would get EPIPE, and with it lose
 * the answer waiting in its buffer; it used to report NOT_RUNNING. What a refused client sends
 * is read and dropped until it closes, for at most LINGER_MS; beyond MAX_LINGERING refused
 * clients at once (a flood), the next ones are closed as soon as the answer is written.
 */
import type { Socket } from 'node:net';
import { UNATTRIBUTED_ID, encode } from './protocol.js';

const LINGER_MS = 2_000;
const MAX_LINGERING = 64;

export class BusyRefusal {
  private lingering = 0;

  refuse(socket: Socket, message: string): void {
    socket.end(encode({ id: UNATTRIBUTED_ID, error: { code: 'CONTROL_BUSY', message } }));
    if (this.lingering >= MAX_LINGERING) {
      socket.destroySoon();
      return;
    }
    this.lingering++;
    socket.resume();
    const linger = setTimeout(() => socket.destroy(), LINGER_MS);
    linger.unref();
    socket.once('close', () => {
      this.lingering--;
      clearTimeout(linger);
    });
  }
}
