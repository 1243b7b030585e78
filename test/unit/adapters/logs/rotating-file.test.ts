import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { readTail, RotatingFile } from '../../../../src/adapters/logs/rotating-file.js';

let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lb-dev-rotating-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

const line = (i: number): string => `line ${String(i).padStart(4, '0')}`; // 9 bytes + newline = 10

test('appends lines and creates missing directories', async () => {
  const path = join(dir, 'nested', 'deeper', 'app-1.log');
  const file = new RotatingFile({ path, maxBytes: 1000, maxFiles: 2 });
  assert.equal(file.write('hello'), true);
  assert.equal(file.write('world'), true);
  await file.close();
  assert.equal(await readFile(path, 'utf8'), 'hello\nworld\n');
  assert.equal(file.write('after close'), false);
});

test('appends to an existing file and counts its size', async () => {
  const path = join(dir, 'existing.log');
  await writeFile(path, `${'x'.repeat(25)}\n`); // 26 bytes
  const file = new RotatingFile({ path, maxBytes: 30, maxFiles: 1 });
  file.write('abc'); // 26 + 4 = 30: still fits
  file.write('def'); // would be 34: rotates first
  await file.close();
  assert.equal(await readFile(`${path}.1`, 'utf8'), `${'x'.repeat(25)}\nabc\n`);
  assert.equal(await readFile(path, 'utf8'), 'def\n');
});

test('rotates by size, keeps maxFiles rotated files, and never splits a line', async () => {
  const path = join(dir, 'rot', 'app-2.log');
  const file = new RotatingFile({ path, maxBytes: 35, maxFiles: 2 }); // 3 lines of 10 bytes per file
  for (let i = 0; i < 20; i++) file.write(line(i));
  await file.close();

  const names = (await readdir(join(dir, 'rot'))).sort();
  assert.deepEqual(names, ['app-2.log', 'app-2.log.1', 'app-2.log.2']);
  // 20 lines = files of 3,3,3,3,3,3,2: the newest three files hold lines 12..19.
  assert.equal(await readFile(path, 'utf8'), `${line(18)}\n${line(19)}\n`);
  assert.equal(await readFile(`${path}.1`, 'utf8'), `${line(15)}\n${line(16)}\n${line(17)}\n`);
  assert.equal(await readFile(`${path}.2`, 'utf8'), `${line(12)}\n${line(13)}\n${line(14)}\n`);
  for (const name of names) {
    const size = (await readFile(join(dir, 'rot', name))).length;
    assert.ok(size <= 35, `${name} is ${size} bytes`);
  }
});

test('maxFiles 0 truncates instead of keeping rotated files', async () => {
  const path = join(dir, 'zero', 'z.log');
  const file = new RotatingFile({ path, maxBytes: 25, maxFiles: 0 });
  for (let i = 0; i < 5; i++) file.write(line(i));
  await file.close();
  assert.deepEqual(await readdir(join(dir, 'zero')), ['z.log']);
  assert.equal(await readFile(path, 'utf8'), `${line(4)}\n`);
});

test('a line longer than maxBytes still goes into a file of its own', async () => {
  const path = join(dir, 'long.log');
  const file = new RotatingFile({ path, maxBytes: 10, maxFiles: 3 });
  file.write('short');
  file.write('y'.repeat(50));
  file.write('end');
  await file.close();
  assert.equal(await readFile(`${path}.2`, 'utf8'), 'short\n');
  assert.equal(await readFile(`${path}.1`, 'utf8'), `${'y'.repeat(50)}\n`);
  assert.equal(await readFile(path, 'utf8'), 'end\n');
});

test('write() never blocks: beyond maxPendingBytes lines are dropped and counted', async () => {
  const path = join(dir, 'pending.log');
  const file = new RotatingFile({ path, maxBytes: 10_000_000, maxFiles: 1, maxPendingBytes: 100 });
  let accepted = 0;
  // All in one synchronous turn: nothing can reach the disk in between.
  for (let i = 0; i < 50; i++) if (file.write(line(i))) accepted++;
  assert.equal(accepted, 10);
  assert.equal(file.droppedLines, 40);
  await file.flush();
  assert.equal(file.pendingBytes, 0);
  // Once written, there is room again.
  assert.equal(file.write('later'), true);
  await file.close();
  const lines = (await readFile(path, 'utf8')).trimEnd().split('\n');
  assert.equal(lines.length, 11);
  assert.equal(lines.at(-1), 'later');
});

test('a failing disk drops and reports instead of throwing', async () => {
  const blocker = join(dir, 'not-a-dir');
  await writeFile(blocker, 'a file where a directory should be');
  const errors: Error[] = [];
  const file = new RotatingFile({ path: join(blocker, 'x.log'), maxBytes: 100, maxFiles: 1, onError: (e) => errors.push(e) });
  file.write('lost');
  await file.flush();
  assert.equal(errors.length, 1);
  assert.equal(file.droppedLines, 1);
  assert.ok(file.lastError);
  // Right after a failure, writes are refused for a moment rather than retried in a hot loop.
  assert.equal(file.write('also lost'), false);
  assert.equal(file.droppedLines, 2);
  await file.close();
});

test('readTail reads the last n lines across the current and rotated files', async () => {
  const path = join(dir, 'tail', 'app-3.log');
  const file = new RotatingFile({ path, maxBytes: 35, maxFiles: 3 });
  for (let i = 0; i < 20; i++) file.write(line(i));
  await file.close();
  // Kept: .3 = 9..11, .2 = 12..14, .1 = 15..17, current = 18..19
  assert.deepEqual(await readTail(path, 3, 4), [16, 17, 18, 19].map(line));
  assert.deepEqual(await readTail(path, 3, 2), [18, 19].map(line));
  assert.deepEqual(
    await readTail(path, 3, 100),
    Array.from({ length: 11 }, (_, k) => line(k + 9)),
  );
  assert.deepEqual(
    await readTail(path, 1, 100),
    Array.from({ length: 5 }, (_, k) => line(k + 15)),
  );
  assert.deepEqual(await readTail(join(dir, 'tail', 'missing.log'), 3, 5), []);
  assert.deepEqual(await readTail(path, 3, 0), []);
});

test('readTail reads only the tail of a big file, across its read chunks', async () => {
  const path = join(dir, 'big.log');
  const lines = Array.from({ length: 20_000 }, (_, i) => `${i} ${'é'.repeat(i % 13)}`);
  await writeFile(path, `${lines.join('\n')}\n`);
  assert.deepEqual(await readTail(path, 0, 3), lines.slice(-3));
  assert.deepEqual(await readTail(path, 0, 5000), lines.slice(-5000));
});
