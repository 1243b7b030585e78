// RequestFold (src/adapters/logs/request-fold.ts): a health check's request line once a second
// shows once, then at the 10th and 100th with a count; other lines and other shapes pass.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { LogLine } from '../../../../src/adapters/logs/log-line.js';
import { RequestFold } from '../../../../src/adapters/logs/request-fold.js';

let seq = 0;
const line = (text: string, time: number, source = 'app-1', stream: LogLine['stream'] = 'stdout'): LogLine => ({ seq: seq++, time, source, stream, text });

test('one health-check line a second: the first, the 10th and the 100th show', () => {
  const fold = new RequestFold();
  const shown: string[] = [];
  for (let second = 0; second < 120; second++) {
    const text = fold.take(line(` GET / 200 in ${1 + (second % 7)}ms`, second * 1000))?.text;
    if (text !== undefined) shown.push(text);
  }
  assert.deepEqual(shown, [
    ' GET / 200 in 1ms',
    ' GET / 200 in 3ms (x10 like this, health checks included; lb-dev logs app-1 has each)',
    ' GET / 200 in 2ms (x100 like this, health checks included; lb-dev logs app-1 has each)',
  ]);
});

test('other shapes, other sources, events, non-request lines and a line after a quiet spell all show', () => {
  const fold = new RequestFold();
  assert.ok(fold.take(line(' GET / 200 in 1ms', 0)));
  assert.equal(fold.take(line(' GET / 200 in 2ms', 1000)), null);
  assert.ok(fold.take(line(' GET /about 200 in 2ms', 1000)));
  assert.ok(fold.take(line(' GET / 500 in 2ms', 1000)));
  assert.ok(fold.take(line(' POST / 200 in 2ms', 1000)));
  assert.ok(fold.take(line(' GET / 200 in 2ms', 1000, 'app-2')));
  assert.ok(fold.take(line('✓ Compiled in 120ms', 1000)));
  assert.ok(fold.take(line('✓ Compiled in 130ms', 1100)));
  assert.ok(fold.take(line('ready after 1.2s', 1200, 'app-1', 'event')));
  assert.ok(fold.take(line(' GET / 200 in 9ms', 20_000)));
});
