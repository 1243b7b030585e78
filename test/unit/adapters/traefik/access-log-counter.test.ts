import assert from 'node:assert/strict';
import { appendFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { AccessLogCounter, accessEntryOf } from '../../../../src/adapters/traefik/access-log-counter.js';

const line = (url: string) => `${JSON.stringify({ ServiceURL: url, DownstreamStatus: 200, RequestPath: '/' })}\n`;

describe('accessEntryOf: the backend URL', () => {
  const cases: Array<[string, string | null]> = [
    [line('http://127.0.0.1:4000').trim(), 'http://127.0.0.1:4000'],
    [JSON.stringify({ ServiceURL: 'http://127.0.0.1:4000/' }), 'http://127.0.0.1:4000'],
    [JSON.stringify({ DownstreamStatus: 503 }), null],
    ['127.0.0.1 - - [25/Nov/2026] "GET / HTTP/1.1" 200', null],
    ['{not json', null],
  ];
  for (const [input, expected] of cases) it(`${input.slice(0, 40)} -> ${expected}`, () => assert.equal(accessEntryOf(input)?.url ?? null, expected));
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

describe('AccessLogCounter errors and requests without a backend', () => {
  it('counts 5xx answers per backend and lines with no backend', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'lb-dev-access-'));
    try {
      const path = join(dir, 'access.log');
      const entry = (fields: Record<string, unknown>) => `${JSON.stringify(fields)}\n`;
      await writeFile(
        path,
        entry({ ServiceURL: 'http://127.0.0.1:1', DownstreamStatus: 500 }) +
          entry({ ServiceURL: 'http://127.0.0.1:1', DownstreamStatus: 499 }) +
          entry({ ServiceURL: 'http://127.0.0.1:2/', DownstreamStatus: 502 }) +
          entry({ DownstreamStatus: 503 }) +
          entry({ ServiceURL: '', DownstreamStatus: 404 }) +
          'not json\n',
      );
      const counter = new AccessLogCounter(path);
      await counter.poll();
      assert.deepEqual(Object.fromEntries(counter.byUrl()), { 'http://127.0.0.1:1': 2, 'http://127.0.0.1:2': 1 });
      assert.deepEqual(Object.fromEntries(counter.errorsByUrl()), { 'http://127.0.0.1:1': 1, 'http://127.0.0.1:2': 1 });
      assert.equal(counter.withoutBackend(), 2);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
