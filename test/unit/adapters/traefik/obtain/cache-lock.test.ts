import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { LOCK_FILE, acquireCacheLock, type LockHolder } from '../../../../../src/adapters/traefik/obtain/cache-lock.js';

function lockContent(pid: number, host = hostname()): string {
  const holder: LockHolder = { pid, host, startedAt: Date.now(), purpose: 'test', token: 'x' };
  return JSON.stringify(holder);
}

async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '0']);
  await once(child, 'exit');
  return child.pid!;
}

describe('acquireCacheLock', () => {
  it('writes the holder into the lock and removes it on release', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lb-dev-lock-'));
    const lock = await acquireCacheLock(dir, { purpose: 'downloading' });
    const holder = JSON.parse(readFileSync(join(dir, LOCK_FILE), 'utf8')) as LockHolder;
    assert.deepEqual([holder.pid, holder.host, holder.purpose, lock.waited], [process.pid, hostname(), 'downloading', false]);
    await lock.release();
    assert.ok(!existsSync(join(dir, LOCK_FILE)));
  });

  it('a second taker waits until the first releases, reporting the holder', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lb-dev-lock-'));
    const first = await acquireCacheLock(dir, { purpose: 'building' });
    let reportedHolder!: (holder: LockHolder | null) => void;
    const reported = new Promise<LockHolder | null>((resolve) => {
      reportedHolder = resolve;
    });
    const second = acquireCacheLock(dir, { purpose: 'second', pollMs: 20, onWait: (holder) => reportedHolder(holder) });
    const holder = await reported;
    assert.deepEqual([holder?.pid, holder?.purpose], [process.pid, 'building']);
    await first.release();
    const got = await second;
    assert.deepEqual([got.waited, got.waitedFor?.purpose], [true, 'building']);
    await got.release();
  });

  it('takes over the lock of a dead process at once', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lb-dev-lock-'));
    writeFileSync(join(dir, LOCK_FILE), lockContent(await deadPid()));
    const lock = await acquireCacheLock(dir, { purpose: 'takeover', onWait: () => assert.fail('should not wait for a dead holder') });
    assert.equal((JSON.parse(readFileSync(join(dir, LOCK_FILE), 'utf8')) as LockHolder).purpose, 'takeover');
    await lock.release();
  });

  it('takes over a lock whose heartbeat stopped, even if the pid exists (another host, reused pid)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lb-dev-lock-'));
    writeFileSync(join(dir, LOCK_FILE), lockContent(process.pid, 'other-host'));
    const old = new Date(Date.now() - 120_000);
    utimesSync(join(dir, LOCK_FILE), old, old);
    const lock = await acquireCacheLock(dir, { purpose: 'takeover', staleAfterMs: 60_000 });
    assert.equal(lock.waited, false);
    await lock.release();
  });

  it('a lock from another host with a fresh heartbeat is respected until it goes stale', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lb-dev-lock-'));
    writeFileSync(join(dir, LOCK_FILE), lockContent(999_999, 'other-host'));
    let waiting!: () => void;
    const reported = new Promise<void>((resolve) => {
      waiting = resolve;
    });
    const taking = acquireCacheLock(dir, { purpose: 'wait', pollMs: 20, onWait: () => waiting() });
    await reported;
    const old = new Date(Date.now() - 120_000);
    utimesSync(join(dir, LOCK_FILE), old, old);
    const lock = await taking;
    assert.equal(lock.waited, true);
    await lock.release();
  });
});
