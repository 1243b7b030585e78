import { afterEach, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamicConfigWriter } from '../../../../src/adapters/traefik/config-writer.js';
import { LbDevError } from '../../../../src/core/errors.js';

describe('DynamicConfigWriter', () => {
  let root: string;
  let dir: string;
  let tmp: string;

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'lb-dev-writer-'));
    dir = join(root, 'dynamic');
    tmp = join(root, 'tmp');
  });
  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('creates the directories and writes the file', async () => {
    const writer = new DynamicConfigWriter({ dir, fileName: 'lb-dev.yaml', tmpDir: tmp });
    const result = await writer.write('a: 1\n');
    assert.deepEqual(result, { changed: true, path: join(dir, 'lb-dev.yaml') });
    assert.equal(await readFile(result.path, 'utf8'), 'a: 1\n');
  });

  it('writeIfIdle writes in the same tick, and declines (null) while a queued write is in flight', async () => {
    const writer = new DynamicConfigWriter({ dir, fileName: 'lb-dev.yaml', tmpDir: tmp });
    assert.deepEqual(writer.writeIfIdle('a: 1\n'), { changed: true, path: join(dir, 'lb-dev.yaml') });
    assert.equal(await readFile(writer.path, 'utf8'), 'a: 1\n');
    const queued = writer.write('a: 2\n');
    assert.equal(writer.writeIfIdle('a: 3\n'), null);
    await queued;
    assert.equal(await readFile(writer.path, 'utf8'), 'a: 2\n');
    assert.deepEqual(writer.writeIfIdle('a: 2\n'), { changed: false, path: writer.path });
  });

  it('recreates the directories when they were deleted since the last write', async () => {
    const writer = new DynamicConfigWriter({ dir, fileName: 'lb-dev.yaml', tmpDir: tmp });
    await writer.write('a: 1\n');
    await rm(dir, { recursive: true });
    await rm(tmp, { recursive: true });
    writer.forget();
    assert.equal((await writer.write('a: 2\n')).changed, true);
    assert.equal(await readFile(writer.path, 'utf8'), 'a: 2\n');
    assert.equal((await stat(dir)).mode & 0o777, 0o700);
  });

  it('does not rewrite unchanged content', async () => {
    const writer = new DynamicConfigWriter({ dir, fileName: 'lb-dev.yaml', tmpDir: tmp });
    await writer.write('a: 1\n');
    const before = await stat(writer.path);
    assert.equal((await writer.write('a: 1\n')).changed, false);
    assert.equal((await stat(writer.path)).ino, before.ino);
    assert.equal((await writer.write('a: 2\n')).changed, true);
    assert.equal(await readFile(writer.path, 'utf8'), 'a: 2\n');
  });

  it('compares with the file on disk at the first write', async () => {
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'lb-dev.yaml'), 'same\n');
    const writer = new DynamicConfigWriter({ dir, fileName: 'lb-dev.yaml', tmpDir: tmp });
    assert.equal((await writer.write('same\n')).changed, false);
    const other = new DynamicConfigWriter({ dir, fileName: 'lb-dev.yaml', tmpDir: tmp });
    assert.equal((await other.write('different\n')).changed, true);
  });

  it('rewrite writes unchanged content again by rename (a new inode: a fresh file event for the watcher)', async () => {
    const writer = new DynamicConfigWriter({ dir, fileName: 'lb-dev.yaml', tmpDir: tmp });
    await writer.write('a: 1\n');
    const first = (await stat(writer.path)).ino;
    assert.deepEqual(await writer.rewrite('a: 1\n'), { changed: false, path: writer.path });
    assert.notEqual((await stat(writer.path)).ino, first);
    assert.equal(await readFile(writer.path, 'utf8'), 'a: 1\n');
    assert.deepEqual(await writer.rewrite('a: 2\n'), { changed: true, path: writer.path });
    assert.deepEqual(await readdir(tmp), []);
  });

  it('replaces the file by rename (new inode) and leaves no temp files', async () => {
    const writer = new DynamicConfigWriter({ dir, fileName: 'lb-dev.yaml', tmpDir: tmp });
    await writer.write('a: 1\n');
    const first = (await stat(writer.path)).ino;
    await writer.write('a: 2\n');
    assert.notEqual((await stat(writer.path)).ino, first);
    assert.deepEqual(await readdir(dir), ['lb-dev.yaml']);
    assert.deepEqual(await readdir(tmp), []);
  });

  it('keeps call order for concurrent writes: the last one wins', async () => {
    const writer = new DynamicConfigWriter({ dir, fileName: 'lb-dev.yaml', tmpDir: tmp });
    const results = await Promise.all(['1', '2', '3', '4', '5'].map((n) => writer.write(`n: ${n}\n`)));
    assert.ok(results.every((r) => r.changed));
    assert.equal(await readFile(writer.path, 'utf8'), 'n: 5\n');
  });

  it('remove() deletes the file, and the next write writes again', async () => {
    const writer = new DynamicConfigWriter({ dir, fileName: 'lb-dev.yaml', tmpDir: tmp });
    await writer.write('a: 1\n');
    await writer.remove();
    await assert.rejects(stat(writer.path), { code: 'ENOENT' });
    await writer.remove(); // already gone: fine
    assert.equal((await writer.write('a: 1\n')).changed, true);
  });

  it('rejects a tmpDir inside (or equal to) the watched dir', () => {
    assert.throws(() => new DynamicConfigWriter({ dir, fileName: 'x.yaml', tmpDir: dir }), /tmpDir outside/);
    assert.throws(() => new DynamicConfigWriter({ dir, fileName: 'x.yaml', tmpDir: join(dir, 'tmp') }), /tmpDir outside/);
  });

  it('rejects a file name with a directory in it', () => {
    assert.throws(() => new DynamicConfigWriter({ dir, fileName: 'a/b.yaml', tmpDir: tmp }), /plain file name/);
  });

  it('fails with STATE_DIR_UNUSABLE when the dir cannot be created', async () => {
    await writeFile(join(root, 'blocker'), 'a file, not a dir');
    const writer = new DynamicConfigWriter({ dir: join(root, 'blocker', 'dynamic'), fileName: 'x.yaml', tmpDir: tmp });
    await assert.rejects(writer.write('a: 1\n'), (error: unknown) => {
      assert.ok(error instanceof LbDevError);
      assert.equal(error.code, 'STATE_DIR_UNUSABLE');
      assert.match(error.message, /blocker/);
      return true;
    });
  });
});
