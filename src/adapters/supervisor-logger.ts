/**
 * lb-dev's own log, through pino: JSON lines into the state dir's lb-dev.log, and each
 * message also as an `lb-dev` line in the console/hub so users see it in order with the
 * instances' output.
 */
import { Writable } from 'node:stream';
import pino, { type Logger } from 'pino';

export type SupervisorLogger = Logger;

export function createSupervisorLogger(opts: { file: string; onMessage: (level: string, message: string) => void; level?: string }): SupervisorLogger {
  const toHub = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      for (const line of chunk.toString('utf8').split('\n')) {
        if (!line) continue;
        try {
          const entry = JSON.parse(line) as { level: number; msg?: string };
          opts.onMessage(pino.levels.labels[entry.level] ?? 'info', entry.msg ?? '');
        } catch {
          opts.onMessage('info', line);
        }
      }
      callback();
    },
  });
  const file = pino.destination({ dest: opts.file, mkdir: true, sync: false });
  return pino(
    { level: opts.level ?? 'info', base: { pid: process.pid }, timestamp: pino.stdTimeFunctions.isoTime },
    pino.multistream([{ stream: file, level: 'debug' }, { stream: toHub, level: 'info' }]),
  );
}
