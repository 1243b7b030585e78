import assert from 'node:assert/strict';
import { appendFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { AccessLogCounter, serviceUrlOf } from '../../../../src/adapters/traefik/access-log-counter.js';

const line = (url: string) => `${JSON.stringify({ ServiceURL: url, DownstreamStatus: 200, RequestPath: '/' })}\n`;

describe('serviceUrlOf', () => {
  const cases: Array<[string, string | null]> = [
    [line('http://127.0.0.1:4000').trim(), 'http://127.0.0.1:4000'],
    [JSON.stringify({ ServiceURL: 'http://127.0.0.1:4000/' }), 'http://127.0.0.1:4000'],
    [JSON.stringify({ DownstreamStatus: 503 }), null],
    ['127.0.0.1 - - [25/Nov/2026] "GET / HTTP/1.1" 200', null],
    ['{not json', null],
  ];
  for (const [input, expected] of cases) it(`${input.slice(0, 40)} -> ${expected}`, () => assert.equal(serviceUrlOf(input), expected));
});

describe('AccessLogCounter', () => {
  it('counts new lines per backend across polls, including a line split between polls, and survives truncation', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'lb-dev-access-'));
    try {
      const path = join(dir, 'access.log');
      const counter = new AccessLogCounter(path);
      await counter.poll(); // no file yet: nothing, no throw
      assert.equal(counter.byUrl().size, 0);
      await writeFile(path, line('http://127.0.0.1:1') + line('http://127.0.0.1:2') + line('http://127.0.0.1:1').slice(0, 10));
      await counter.poll();
      assert.deepEqual(Object.fromEntries(counter.byUrl()), { 'http://127.0.0.1:1': 1, 'http://127.0.0.1:2': 1 });
      await appendFile(path, line('http://127.0.0.1:1').slice(10));
      await counter.poll();
      assert.equal(counter.byUrl().get('http://127.0.0.1:1'), 2);
      await writeFile(path, line('http://127.0.0.1:2'));
      await counter.poll();
      assert.equal(counter.byUrl().get('http://127.0.0.1:2'), 2);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('AccessLogCounter errors', () => {
  it('counts answers with a status >= 500 per backend apart from the rest', () => {
    const counter = new AccessLogCounter('/nonexistent');
    const entry = (url: string, status: number) => `${JSON.stringify({ ServiceURL: url, DownstreamStatus: status })}\n`;
    counter.consume(entry('http://127.0.0.1:1', 200) + entry('http://127.0.0.1:1', 502) + entry('http://127.0.0.1:2', 499) + entry('http://127.0.0.1:2', 500));
    assert.deepEqual(Object.fromEntries(counter.byUrl()), { 'http://127.0.0.1:1': 2, 'http://127.0.0.1:2': 2 });
    assert.deepEqual(Object.fromEntries(counter.errorsByUrl()), { 'http://127.0.0.1:1': 1, 'http://127.0.0.1:2': 1 });
  });
});
