import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatFileLine, lineSink, parseFileLine, splitLines } from '../../../../src/adapters/logs/log-line.js';

test('splits complete lines and keeps the unterminated rest for later', () => {
  const splitter = splitLines();
  assert.deepEqual(splitter.push('one\ntwo\nthr'), ['one', 'two']);
  assert.deepEqual(splitter.push('ee\n'), ['three']);
  assert.deepEqual(splitter.end(), []);
});

test('handles \\r\\n, also when \\r and \\n arrive in different chunks', () => {
  const splitter = splitLines();
  assert.deepEqual(splitter.push('a\r\nb\r'), ['a']);
  assert.deepEqual(splitter.push('\nc'), ['b']);
  assert.deepEqual(splitter.end(), ['c']);
});

test('keeps empty lines', () => {
  assert.deepEqual(splitLines().push('\n\nx\n'), ['', '', 'x']);
});

test('a line spread over many chunks comes out whole', () => {
  const splitter = splitLines();
  const out: string[] = [];
  for (const ch of 'hello world\n') out.push(...splitter.push(Buffer.from(ch)));
  assert.deepEqual(out, ['hello world']);
});

test('a UTF-8 character split between chunks survives', () => {
  const bytes = Buffer.from('héllo ✓\n');
  const splitter = splitLines();
  const out: string[] = [];
  for (let i = 0; i < bytes.length; i++) out.push(...splitter.push(bytes.subarray(i, i + 1)));
  assert.deepEqual(out, ['héllo ✓']);
});

test('does not keep a reference to a chunk buffer the caller reuses', () => {
  const splitter = splitLines();
  const chunk = Buffer.from('abc');
  splitter.push(chunk);
  chunk.write('xyz');
  assert.deepEqual(splitter.push('\n'), ['abc']);
});

test('cuts an over-long terminated line with a marker', () => {
  const splitter = splitLines({ maxLineBytes: 10 });
  const [line] = splitter.push(`${'a'.repeat(25)}\nnext\n`).slice(0, 1);
  assert.equal(line, `${'a'.repeat(10)} … [line cut at 10 bytes]`);
  assert.equal(splitter.cutLines, 1);
});

test('cuts an over-long line arriving in pieces once, and drops its rest up to the newline', () => {
  const splitter = splitLines({ maxLineBytes: 10 });
  const out: string[] = [];
  for (let i = 0; i < 10; i++) out.push(...splitter.push('0123456'));
  out.push(...splitter.push('tail\nafter\n'));
  assert.deepEqual(out, ['0123456012 … [line cut at 10 bytes]', 'after']);
  assert.equal(splitter.cutLines, 1);
});

test('a cut never splits a UTF-8 character', () => {
  const splitter = splitLines({ maxLineBytes: 4 });
  const [line] = splitter.push('aé✓✓\n'); // a(1) é(2) ✓(3): the cut at 4 falls inside ✓
  assert.equal(line, 'aé … [line cut at 4 bytes]');
});

test('file lines round-trip through format and parse', () => {
  const line = { seq: 7, time: Date.UTC(2026, 10, 25, 16, 50, 0, 123), source: 'app-1', stream: 'stderr' as const, text: 'oops: a b  c' };
  const raw = formatFileLine(line);
  assert.equal(raw, '2026-11-25T16:50:00.123Z stderr oops: a b  c');
  assert.deepEqual(parseFileLine(raw, 'app-1'), { ...line, seq: 0 });
  assert.equal(parseFileLine('not a log line', 'app-1'), null);
  assert.equal(parseFileLine('2026-11-25T16:50:00.123Z weird x', 'app-1'), null);
});

test('lineSink hands on each line of raw chunks, cut at the cap, and the rest at end()', () => {
  const lines: string[] = [];
  const sink = lineSink((line) => lines.push(line), { maxLineBytes: 10 });
  sink.write(Buffer.from('one\r\ntw'));
  sink.write('o\n0123456789abcdef\nlast');
  assert.deepEqual(lines, ['one', 'two', '0123456789 … [line cut at 10 bytes]']);
  sink.end();
  assert.deepEqual(lines.slice(3), ['last']);
});
