import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, test } from 'node:test';
import { LogHub } from '../../../../src/adapters/logs/log-hub.js';
import type { LogLine } from '../../../../src/adapters/logs/log-line.js';
import { Condition } from '../../../helpers/wait.js';

let root: string;
before(async () => {
  root = await mkdtemp(join(tmpdir(), 'lb-dev-hub-'));
});
after(async () => {
  await rm(root, { recursive: true, force: true });
});

/** Delivery to subscribers is asynchronous: listeners notify this, tests wait on it. */
const delivered = new Condition();

let hubCount = 0;
function newHub(options: { ringBufferLines?: number } = {}): LogHub {
  return new LogHub({ dir: join(root, `logs-${++hubCount}`), maxFileBytes: 1_000_000, maxFiles: 2, ringBufferLines: options.ringBufferLines ?? 100 });
}

test('append numbers lines across sources and recent() merges them by seq', async () => {
  const hub = newHub();
  hub.append('app-1', 'stdout', 'a1');
  hub.append('app-2', 'stdout', 'b1');
  hub.append('app-1', 'stderr', 'a2');
  hub.event('app-2', 'ready after 2.1s');
  const all = hub.recent(null, 10);
  assert.deepEqual(
    all.map((l) => [l.seq, l.source, l.stream, l.text]),
    [
      [1, 'app-1', 'stdout', 'a1'],
      [2, 'app-2', 'stdout', 'b1'],
      [3, 'app-1', 'stderr', 'a2'],
      [4, 'app-2', 'event', 'ready after 2.1s'],
    ],
  );
  assert.deepEqual(
    hub.recent(null, 2).map((l) => l.text),
    ['a2', 'ready after 2.1s'],
  );
  assert.deepEqual(
    hub.recent(['app-1'], 10).map((l) => l.text),
    ['a1', 'a2'],
  );
  assert.deepEqual(hub.recent(['nope'], 10), []);
  assert.deepEqual(hub.sources(), ['app-1', 'app-2']);
  await hub.close();
});

test('the ring buffer keeps the newest ringBufferLines per source', async () => {
  const hub = newHub({ ringBufferLines: 3 });
  for (let i = 0; i < 10; i++) hub.append('app-1', 'stdout', `a${i}`);
  hub.append('app-2', 'stdout', 'b');
  assert.deepEqual(
    hub.recent(['app-1'], 100).map((l) => l.text),
    ['a7', 'a8', 'a9'],
  );
  assert.deepEqual(
    hub.recent(null, 100).map((l) => l.text),
    ['a7', 'a8', 'a9', 'b'],
  );
  await hub.close();
});

test('writes one file per source in the documented line format', async () => {
  const hub = newHub();
  hub.append('app-1', 'stdout', 'hello');
  hub.event('app-1', 'ready after 2.1s');
  hub.append('weird/name', 'stdout', 'x');
  hub.append('app-1', 'stdout', 'two\nlines');
  await hub.flush();
  const text = await readFile(hub.filePath('app-1'), 'utf8');
  const lines = text.trimEnd().split('\n');
  assert.equal(lines.length, 3);
  assert.match(lines[0] as string, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z stdout hello$/);
  assert.match(lines[1] as string, /Z event ready after 2\.1s$/);
  assert.match(lines[2] as string, /Z stdout two ⏎ lines$/);
  assert.equal(hub.filePath('weird/name'), join(hub.dir, 'weird_name.log'));
  assert.match(await readFile(hub.filePath('weird/name'), 'utf8'), /stdout x\n$/);
  assert.deepEqual(
    hub.stats().map((s) => [s.source, s.lines, s.fileDroppedLines]),
    [
      ['app-1', 3, 0],
      ['weird/name', 1, 0],
    ],
  );
  await hub.close();
});

test('lineWriter splits raw chunks into lines', async () => {
  const hub = newHub();
  const out = hub.lineWriter('app-1', 'stdout');
  out.write(Buffer.from('par'));
  out.write('tial\r\nnext\nunterminated');
  assert.deepEqual(
    hub.recent(null, 10).map((l) => l.text),
    ['partial', 'next'],
  );
  out.end();
  assert.deepEqual(
    hub.recent(null, 10).map((l) => l.text),
    ['partial', 'next', 'unterminated'],
  );
  await hub.close();
});

test('subscribers get new lines of their sources, asynchronously and in order', async () => {
  const hub = newHub();
  const got: string[] = [];
  const all: string[] = [];
  hub.subscribe(['app-2'], (line) => {
    got.push(line.text);
    delivered.notify();
  });
  const everything = hub.subscribe(null, (line) => {
    all.push(`${line.source}:${line.text}`);
    delivered.notify();
  });
  hub.append('app-1', 'stdout', 'one');
  hub.append('app-2', 'stdout', 'two');
  hub.event('app-2', 'three');
  assert.deepEqual(got, [], 'append() must not call subscribers synchronously');
  await delivered.until(() => got.length >= 2 && all.length >= 3, 'the three lines delivered');
  assert.deepEqual(got, ['two', 'three']);
  assert.deepEqual(all, ['app-1:one', 'app-2:two', 'app-2:three']);
  everything.unsubscribe();
  // A later subscriber is served after `everything` would have been: once it has 'four', `everything` would have too.
  const probeGot: string[] = [];
  const probe = hub.subscribe(null, (line) => {
    probeGot.push(line.text);
    delivered.notify();
  });
  hub.append('app-1', 'stdout', 'four');
  await delivered.until(() => probeGot.includes('four'), 'the probe to get the line after unsubscribe()');
  probe.unsubscribe();
  assert.equal(all.length, 3);
  assert.equal(everything.dropped(), 0);
  await hub.close();
});

test('a slow subscriber loses lines (counted) without slowing append() or other subscribers', async () => {
  const hub = newHub({ ringBufferLines: 10_000 });
  const slowGot: LogLine[] = [];
  const fastGot: LogLine[] = [];
  const slow = hub.subscribe(
    null,
    async (line) => {
      slowGot.push(line);
      delivered.notify();
      await sleep(20); // a client socket that is not reading
    },
    { maxQueued: 5 },
  );
  const fast = hub.subscribe(null, (line) => {
    fastGot.push(line);
    delivered.notify();
  });

  const startedAt = performance.now();
  for (let i = 0; i < 5000; i++) hub.append('app-1', 'stdout', `line ${i}`);
  const appendMs = performance.now() - startedAt;

  await delivered.until(() => fastGot.length >= 5000 && slowGot.length >= 5, 'both subscribers served');
  assert.equal(slow.dropped(), 4995);
  assert.deepEqual(
    slowGot.map((l) => l.text),
    ['line 0', 'line 1', 'line 2', 'line 3', 'line 4'],
  );
  assert.equal(fastGot.length, 5000);
  assert.equal(fast.dropped(), 0);
  assert.ok(appendMs < 1000, `5000 appends took ${appendMs.toFixed(0)}ms`);

  // Once it has caught up, it gets new lines again.
  hub.append('app-1', 'stdout', 'after');
  await delivered.until(() => slowGot.length >= 6, 'the slow subscriber to get the next line');
  assert.equal(slowGot.at(-1)?.text, 'after');
  await hub.close();
});

test('a subscriber that throws is unsubscribed and does not disturb the others', async () => {
  const hub = newHub();
  let calls = 0;
  const got: string[] = [];
  hub.subscribe(null, () => {
    calls++;
    throw new Error('broken reader');
  });
  hub.subscribe(null, (line) => {
    got.push(line.text);
    delivered.notify();
  });
  hub.append('app-1', 'stdout', 'a');
  hub.append('app-1', 'stdout', 'b');
  // The throwing subscriber came first: by the time the other has 'a' and 'b', it has thrown.
  await delivered.until(() => got.length >= 2, 'a and b delivered');
  hub.append('app-1', 'stdout', 'c');
  await delivered.until(() => got.length >= 3, 'c delivered');
  assert.equal(calls, 1);
  assert.deepEqual(got, ['a', 'b', 'c']);
  await hub.close();
});

test('a log file that cannot be written is reported once as an lb-dev event', async () => {
  const blocker = join(root, 'blocker');
  await writeFile(blocker, 'not a directory');
  const hub = new LogHub({ dir: blocker, maxFileBytes: 1000, maxFiles: 1, ringBufferLines: 10 });
  hub.append('app-1', 'stdout', 'x');
  await hub.flush();
  hub.append('app-1', 'stdout', 'y');
  await hub.flush();
  // One event per failing file (lb-dev's own file sits in the same broken directory).
  const events = hub.recent(['lb-dev'], 10).map((l) => l.text);
  assert.equal(events.filter((text) => /cannot write .*app-1\.log/.test(text)).length, 1, events.join('\n'));
  assert.ok(events.length <= 2 && events.every((text) => text.startsWith('cannot write')), events.join('\n'));
  assert.deepEqual(
    hub.recent(['app-1'], 10).map((l) => l.text),
    ['x', 'y'],
  );
  await hub.close();
});
