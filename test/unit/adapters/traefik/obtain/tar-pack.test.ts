import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createWriteStream, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { describe, it } from 'node:test';
import { tarStream } from '../../../../../src/adapters/traefik/obtain/tar-pack.js';
import { ArchiveError, extractTarGzEntry } from '../../../../../src/adapters/traefik/obtain/tar-extract.js';

describe('tarStream', () => {
  it('writes a ustar archive that the system tar lists and unpacks', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lb-dev-tar-'));
    const payload = Buffer.from('x'.repeat(1500));
    writeFileSync(join(dir, 'payload'), payload);
    const archive = join(dir, 'out.tar');
    await pipeline(
      tarStream([
        { type: 'file', name: 'traefik', mode: 0o755, size: payload.length, source: join(dir, 'payload') },
        { type: 'directory', name: 'tmp', mode: 0o1777 },
        { type: 'directory', name: 'etc/ssl', mode: 0o755 },
      ]),
      createWriteStream(archive),
    );
    const listing = execFileSync('tar', ['-tvf', archive], { encoding: 'utf8' }).trim().split('\n');
    assert.match(listing[0]!, /^-rwxr-xr-x .* 1500 .* traefik$/);
    assert.match(listing[1]!, /^drwxrwxrwt .* tmp\/$/);
    assert.match(listing[2]!, /^drwxr-xr-x .* etc\/ssl\/$/);
    execFileSync('tar', ['-C', dir, '-xf', archive, 'traefik']);
    assert.deepEqual(readFileSync(join(dir, 'traefik')), payload);
  });

  it('round-trips through gzip and extractTarGzEntry; a cut archive is an ArchiveError', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lb-dev-tar-'));
    const payload = Buffer.alloc(70_000, 7);
    writeFileSync(join(dir, 'payload'), payload);
    const archive = join(dir, 'out.tar.gz');
    await pipeline(
      tarStream([
        { type: 'file', name: 'LICENSE.md', mode: 0o644, size: payload.length, source: join(dir, 'payload') },
        { type: 'file', name: 'traefik', mode: 0o755, size: payload.length, source: join(dir, 'payload') },
      ]),
      createGzip(),
      createWriteStream(archive),
    );
    assert.equal(await extractTarGzEntry(archive, 'traefik', join(dir, 'got')), true);
    assert.deepEqual(readFileSync(join(dir, 'got')), payload);
    assert.equal(await extractTarGzEntry(archive, 'nope', join(dir, 'nope')), false);
    const whole = readFileSync(archive);
    writeFileSync(join(dir, 'cut.tar.gz'), whole.subarray(0, Math.floor(whole.length / 2)));
    await assert.rejects(extractTarGzEntry(join(dir, 'cut.tar.gz'), 'traefik', join(dir, 'cut')), ArchiveError);
  });
});
