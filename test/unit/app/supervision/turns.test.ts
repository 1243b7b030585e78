// Claims (the newest operation on an instance wins) and TurnQueue (one task at a time per key): pure logic.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Claims, TurnQueue } from '../../../../src/app/supervision/turns.js';

test('a newer claim supersedes an older one, which reports what took over', () => {
  const claims = new Claims<object>();
  const instance = {};
  const older = claims.claim(instance, 'restarted by another restart', () => null);
  assert.equal(older.current(), true);
  const newer = claims.claim(instance, 'stopped meanwhile by `lb-dev stop`', () => null);
  assert.equal(older.current(), false);
  assert.equal(older.supersededBy(), 'stopped meanwhile by `lb-dev stop`');
  assert.equal(newer.current(), true);
  assert.equal(claims.claim({}, 'other', () => null).current(), true, 'claims on another key do not interfere');
});

test('nothing is current once the key is gone, and the reason is why it went', () => {
  const claims = new Claims<object>();
  let gone: string | null = null;
  const claim = claims.claim({}, 'started', () => gone);
  gone = 'removed by a scale-down';
  assert.equal(claim.current(), false);
  assert.equal(claim.supersededBy(), 'removed by a scale-down');
});

test('tasks of one key run one after another in order, a failure does not stop the next; other keys run alongside', async () => {
  const queue = new TurnQueue<string>();
  const log: string[] = [];
  let releaseFirst!: () => void;
  const first = queue.run('app', async () => {
    log.push('first starts');
    await new Promise<void>((resolve) => {
      releaseFirst = resolve;
    });
    log.push('first ends');
    throw new Error('first failed');
  });
  const second = queue.run('app', async () => {
    log.push('second runs');
    return 2;
  });
  const other = queue.run('web', async () => {
    log.push('other runs');
    return 'web';
  });
  assert.equal(await other, 'web');
  releaseFirst();
  await assert.rejects(first, /first failed/);
  assert.equal(await second, 2);
  assert.deepEqual(log, ['first starts', 'other runs', 'first ends', 'second runs']);
});
