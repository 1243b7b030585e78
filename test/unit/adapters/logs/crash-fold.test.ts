// CrashFold (src/adapters/logs/crash-fold.ts) in the console printer, fed by a real Instance
// whose fixture prints a 12-line stack trace and exits 1 again and again: the terminal shows the
// trace once, then one line per crash with a count and the error line; the log keeps every line.
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { after, test } from 'node:test';
import { ConsolePrinter } from '../../../../src/adapters/logs/console-printer.js';
import { CrashFold } from '../../../../src/adapters/logs/crash-fold.js';
import type { LogLine } from '../../../../src/adapters/logs/log-line.js';
import { nodeFixture } from '../../../helpers/lb-dev/index.js';
import { killInstanceLeftovers, makeInstance } from '../../app/instance-harness.js';

after(killInstanceLeftovers);

const ERROR = 'Error: Found another Vite dev process for this project (pid 4242). Pass --bypass-lock to start anyway';

test('a crash loop prints its stack trace once, then `exited with code 1 (xN): <the error line>` per crash', async () => {
  const out = new PassThrough();
  let printed = '';
  out.on('data', (chunk: Buffer) => {
    printed += chunk.toString();
  });
  const printer = new ConsolePrinter({ out, color: false, fold: new CrashFold() });
  const { instance, deps, until } = makeInstance({ command: nodeFixture('stack-trace-exit.mjs') });
  const logged: LogLine[] = [];
  let seq = 0;
  const record = (stream: LogLine['stream'], text: string) => {
    const line = { seq: seq++, time: Date.now(), source: instance.name, stream, text };
    logged.push(line);
    printer.print(line);
  };
  deps.logs = { append: (_source, stream, text) => record(stream, text), event: (_source, text) => record('event', text) };
  instance.start();
  await until(() => instance.status().restarts >= 4 || logged.filter((l) => l.stream === 'event' && /^exited with code 1/.test(l.text)).length >= 4);
  await instance.stop();
  instance.releasePorts();
  printer.flushNow();
  printer.close();
  const crashes = logged.filter((l) => l.stream === 'event' && /^exited with code 1/.test(l.text)).length;
  assert.ok(crashes >= 4, `${crashes} crashes`);
  // Every line is in the log (what the files and `lb-dev logs` get).
  assert.equal(logged.filter((l) => l.text === ERROR).length, crashes);
  assert.equal(logged.filter((l) => l.text.startsWith('    at step')).length, 11 * crashes);
  // The terminal: the trace of the first crash only, then one folded line per crash.
  const lines = printed.split('\n');
  assert.equal(lines.filter((l) => l.endsWith(`| ${ERROR}`)).length, 1, printed);
  assert.equal(lines.filter((l) => l.includes('    at step')).length, 11, printed);
  for (let n = 2; n <= crashes; n++) {
    const folded = lines.filter((l) => l.includes(`app-1   ▸ exited with code 1 (x${n}): ${ERROR}; restarting in `));
    assert.equal(folded.length, 1, `crash ${n} folded once:\n${printed}`);
    assert.match(folded[0]!, /; full output: lb-dev logs app-1$/);
  }
});

test('a run that gets ready after a crash shows what was held back, and the count starts again', () => {
  const fold = new CrashFold();
  let seq = 0;
  const line = (stream: LogLine['stream'], text: string): LogLine => ({ seq: seq++, time: 0, source: 'app-2', stream, text });
  const shown = (stream: LogLine['stream'], text: string) => fold.take(line(stream, text)).map((l) => l.text);
  assert.deepEqual(shown('stderr', 'Error: boom'), ['Error: boom']);
  assert.deepEqual(shown('event', 'exited with code 1; restarting in 100ms'), ['exited with code 1; restarting in 100ms']);
  assert.deepEqual(shown('stdout', 'compiling...'), []);
  assert.deepEqual(shown('stdout', 'compiled'), []);
  assert.deepEqual(shown('event', 'ready after 2.1s'), ['compiling...', 'compiled', 'ready after 2.1s']);
  assert.deepEqual(shown('stderr', 'Error: again'), ['Error: again']);
  assert.deepEqual(shown('event', 'killed by SIGKILL; restarting in 100ms'), ['killed by SIGKILL; restarting in 100ms']);
  assert.deepEqual(shown('stdout', 'no error word here'), []);
  assert.deepEqual(shown('event', 'exited with code 2; restarting in 200ms'), [
    'exited with code 2 (x2): no error word here; restarting in 200ms; full output: lb-dev logs app-2',
  ]);
});
