import assert from 'node:assert/strict';
import { once } from 'node:events';
import { Writable } from 'node:stream';
import { test } from 'node:test';
import { colourFor, ConsolePrinter } from '../../../../src/adapters/logs/console-printer.js';
import type { LogLine, LogStream } from '../../../../src/adapters/logs/log-line.js';
import { Condition } from '../../../helpers/wait.js';

/**
 * A stand-in terminal that records each write() call (and when it came); slow ones answer
 * after `delayMs`. until() waits for the writes a test expects.
 */
class FakeOut extends Writable {
  readonly writes: string[] = [];
  readonly writtenAt: number[] = [];
  private readonly written = new Condition();
  constructor(
    private readonly delayMs = 0,
    highWaterMark = 16 * 1024 * 1024,
  ) {
    super({ highWaterMark, decodeStrings: false });
  }
  override _write(chunk: string | Buffer, _encoding: BufferEncoding, done: (error?: Error | null) => void): void {
    this.writes.push(chunk.toString());
    this.writtenAt.push(performance.now());
    this.written.notify();
    if (this.delayMs > 0) setTimeout(done, this.delayMs);
    else done();
  }
  /** Resolves once `check()` holds, checked after each write. */
  until(check: () => boolean, what: string): Promise<void> {
    return this.written.until(check, () => `${what}; written so far:\n${this.text.slice(-2000)}`);
  }
  get text(): string {
    return this.writes.join('');
  }
  get lines(): string[] {
    return this.text.split('\n').filter((l) => l !== '');
  }
}

let seq = 0;
const line = (source: string, text: string, stream: LogStream = 'stdout'): LogLine => ({ seq: ++seq, time: Date.now(), source, stream, text });
const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

test('prints `name | text` with names padded, app ANSI stripped without colour', async () => {
  const out = new FakeOut();
  const printer = new ConsolePrinter({ out, color: false });
  printer.print(line('app-1', '\u001b[32mhello\u001b[39m'));
  printer.print(line('traefik', 'started', 'stderr'));
  printer.print(line('app-1', 'ready after 2.1s', 'event'));
  await out.until(() => out.lines.length >= 3, '3 lines');
  assert.deepEqual(out.lines, ['app-1   | hello', 'traefik | started', 'app-1   ▸ ready after 2.1s']);
});

test('long names widen the column for later lines', async () => {
  const out = new FakeOut();
  const printer = new ConsolePrinter({ out, color: false });
  printer.print(line('frontend-12', 'x'));
  printer.print(line('app-1', 'y'));
  await out.until(() => out.lines.length >= 2, '2 lines');
  assert.deepEqual(out.lines, ['frontend-12 | x', 'app-1       | y']);
});

test("with colour: a stable colour per source, and a reset after the app's own codes", async () => {
  const out = new FakeOut();
  const printer = new ConsolePrinter({ out, color: true });
  printer.print(line('app-1', 'plain'));
  printer.print(line('app-2', '\u001b[31mred'));
  printer.print(line('app-1', 'ready', 'event'));
  await out.until(() => out.lines.length >= 3, '3 lines');
  const [first, second, third] = out.lines;
  assert.equal(first, '\u001b[36mapp-1   |\u001b[0m plain');
  assert.equal(second, '\u001b[33mapp-2   |\u001b[0m \u001b[31mred\u001b[0m');
  assert.match(third ?? '', /^\u001b\[36mapp-1 {3}▸\u001b\[0m \u001b\[1mready/);
  assert.equal(colourFor('app-1'), colourFor('app-1'));
  assert.notEqual(colourFor('app-1'), colourFor('app-2'));
  assert.equal(colourFor('api-1'), colourFor('app-1'), 'the instance number picks the colour');
  assert.equal(colourFor('app-0'), colourFor('app-10'));
  assert.equal(colourFor('something'), colourFor('something'));
});

test('print() never writes synchronously; one turn writes a batch in one write() call', async () => {
  const out = new FakeOut();
  const printer = new ConsolePrinter({ out, color: false });
  for (let i = 0; i < 50; i++) printer.print(line('app-1', `l${i}`));
  assert.equal(out.writes.length, 0);
  await turn();
  await turn();
  assert.equal(out.writes.length, 1);
  assert.equal(out.lines.length, 50);
});

test('a flood beyond the queue is dropped and reported with the file to read', async () => {
  const out = new FakeOut();
  const printer = new ConsolePrinter({ out, color: false, maxQueuedLines: 100, logDir: '.lb-dev/logs' });
  for (let i = 0; i < 12_445; i++) printer.print(line('app-2', `flood ${i}`));
  // Batches go out on later turns.
  await out.until(() => out.lines.length >= 101, '100 lines and the drop notice');
  const lines = out.lines;
  assert.equal(lines.length, 101);
  assert.equal(lines[0], 'app-2   | flood 0');
  assert.equal(lines[99], 'app-2   | flood 99');
  assert.equal(lines[100], 'app-2   | … 12345 lines not shown (see .lb-dev/logs/app-2.log)');
  assert.equal(printer.droppedLines, 12_345);
  // The notice is printed once; new lines flow again.
  printer.print(line('app-2', 'calm again'));
  await out.until(() => out.lines.at(-1) === 'app-2   | calm again', 'the line after the flood');
  assert.equal(out.lines.at(-1), 'app-2   | calm again');
  assert.equal(out.lines.filter((l) => l.includes('not shown')).length, 1);
});

test('sources are served round-robin: a flooding source does not starve a quiet one', async () => {
  const out = new FakeOut();
  const printer = new ConsolePrinter({ out, color: false, maxQueuedLines: 10_000, maxLinesPerBatch: 300 });
  for (let i = 0; i < 5000; i++) printer.print(line('app-1', `flood ${i}`));
  printer.print(line('app-2', 'important'));
  await turn();
  await turn();
  const firstWrite = out.writes[0] ?? '';
  assert.match(firstWrite, /app-2 {3}\| important/);
  assert.ok(firstWrite.split('\n').filter(Boolean).length <= 300);
});

test('at most maxLinesPerSecond lines are printed; the rest wait (and drop when the queue is full)', async () => {
  const out = new FakeOut();
  const printer = new ConsolePrinter({ out, color: false, maxQueuedLines: 10_000, maxLinesPerSecond: 1000, maxLinesPerBatch: 1000 });
  for (let i = 0; i < 3000; i++) printer.print(line('app-1', `l${i}`));
  // The full budget goes out at once...
  await out.until(() => out.writes.length >= 1, 'the first batch');
  const firstBatch = out.lines.length;
  assert.equal(firstBatch, 1000, `the first write carries the whole budget (${firstBatch} lines)`);
  // ...then the budget refills at 1000 lines/s: 100 more lines take at least 100 ms (timers run late, never early).
  await out.until(() => out.lines.length >= 1100, '1100 lines');
  const tookMs = (out.writtenAt.at(-1) ?? 0) - (out.writtenAt[0] ?? 0);
  const atEnd = out.lines.length;
  assert.ok(tookMs >= (atEnd - 1000) * 0.95, `${atEnd - 1000} lines after the first batch took only ${tookMs.toFixed(0)}ms`);
  printer.flushNow();
  assert.equal(out.lines.length, 3000);
  assert.equal(printer.queuedLines, 0);
  printer.close();
});

test('a slow terminal: waits for drain instead of buffering, drops the excess, reports it', async () => {
  const out = new FakeOut(100, 64);
  const printer = new ConsolePrinter({ out, color: false, maxQueuedLines: 50 });
  const writesAfterRound: number[] = [];
  // The five rounds take a few event-loop turns, far less than the first write's 100 ms.
  for (let round = 0; round < 5; round++) {
    for (let i = 0; i < 100; i++) printer.print(line('app-1', `r${round} l${i}`));
    await turn();
    await turn();
    writesAfterRound.push(out.writes.length);
  }
  // While the first write is outstanding (100 ms), no further write() is issued.
  assert.equal(writesAfterRound[0], 1);
  assert.equal(writesAfterRound[4], 1);
  const notices = () => out.lines.filter((l) => l.includes('lines not shown'));
  const shown = () => out.lines.length - notices().length;
  const dropped = () => notices().reduce((sum, l) => sum + Number(/… (\d+) lines/.exec(l)?.[1]), 0);
  await out.until(() => shown() + dropped() >= 500, 'all 500 lines shown or counted as dropped');
  assert.ok(notices().length >= 1, out.text);
  assert.equal(shown() + dropped(), 500, 'every line is either shown or counted');
  assert.equal(printer.droppedLines, dropped());
});

test('an output that fails (EPIPE) stops printing instead of crashing', async () => {
  const out = new Writable({
    write(_chunk, _encoding, done) {
      done(Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }));
    },
  });
  const printer = new ConsolePrinter({ out, color: false });
  const failed = once(out, 'error');
  printer.print(line('app-1', 'a'));
  await failed;
  printer.print(line('app-1', 'b'));
  await turn();
  assert.equal(printer.queuedLines, 0);
});

test('`shows` keeps lines out of the terminal (Traefik chatter), in order for the rest', async () => {
  const out = new FakeOut();
  const printer = new ConsolePrinter({ out, color: false, shows: (l) => !l.text.includes('INF') });
  printer.print(line('traefik', '2026-11-26T05:40:44Z INF Starting provider *file.Provider', 'stderr'));
  printer.print(line('traefik', '2026-11-26T05:40:44Z ERR Error while starting server', 'stderr'));
  printer.print(line('app-1', 'after'));
  await out.until(() => out.lines.length >= 2, '2 lines');
  assert.deepEqual(out.lines, ['traefik | 2026-11-26T05:40:44Z ERR Error while starting server', 'app-1   | after']);
});
