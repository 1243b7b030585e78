import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { LogHub } from '../../../src/adapters/logs/log-hub.js';
import { logHistory } from '../../../src/app/log-history.js';

describe('logHistory', () => {
  it('takes the newest lines from memory and older ones from the files, merged in time order', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'lb-dev-history-'));
    const hub = new LogHub({ dir, maxFileBytes: 1 << 20, maxFiles: 2, ringBufferLines: 3 });
    try {
      for (let i = 1; i <= 8; i++) hub.append('app-1', 'stdout', `line ${i}`);
      await new Promise((r) => setTimeout(r, 5)); // deliberate: the clock moves on, so 'other' is later in time order
      hub.append('app-2', 'stdout', 'other');
      await hub.flush();
      const one = await logHistory(hub, ['app-1'], 6, 2, 0);
      assert.deepEqual(
        one.map((l) => l.text),
        ['line 3', 'line 4', 'line 5', 'line 6', 'line 7', 'line 8'],
      );
      const all = await logHistory(hub, null, 3, 2, 0);
      assert.deepEqual(
        all.map((l) => `${l.source}:${l.text}`),
        ['app-1:line 7', 'app-1:line 8', 'app-2:other'],
      );
      const since = await logHistory(hub, null, 100, 2, Date.now() - 60_000);
      assert.equal(since.length, 9);
      assert.deepEqual(await logHistory(hub, null, 100, 2, Date.now() + 60_000), []);
    } finally {
      await hub.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
