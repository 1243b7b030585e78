import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readdirSync, statSync, existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { isLbDevError } from '../../../../../src/core/errors.js';
import { downloadTraefik } from '../../../../../src/adapters/traefik/obtain/download-release.js';
import type { DownloadProgress } from '../../../../../src/adapters/traefik/obtain/http-fetch.js';
import { FAKE_VERSION, type ReleaseServer, startReleaseServer } from './release-fixture.js';

const linux = { platform: 'linux', arch: 'x64' };

function freshCache(): string {
  return mkdtempSync(join(tmpdir(), 'lb-dev-cache-'));
}

function versionDirEntries(cacheDir: string): string[] {
  const dir = join(cacheDir, 'traefik', FAKE_VERSION);
  return existsSync(dir) ? readdirSync(dir) : [];
}

describe('downloadTraefik', () => {
  let server: ReleaseServer;
  before(async () => {
    server = await startReleaseServer();
  });
  after(() => server.close());

  it('downloads, verifies and caches an executable traefik that answers `version`', async () => {
    server.behaviour = 'ok';
    const cacheDir = freshCache();
    const progress: DownloadProgress[] = [];
    const path = await downloadTraefik({ ...linux, version: FAKE_VERSION, cacheDir, baseUrl: server.baseUrl, onProgress: (p) => progress.push(p) });
    assert.equal(path, join(cacheDir, 'traefik', FAKE_VERSION, 'traefik'));
    assert.equal(statSync(path).mode & 0o777, 0o755);
    assert.match(execFileSync(path, ['version'], { encoding: 'utf8' }), /Version:\s+v3\.6\.25/);
    assert.deepEqual(versionDirEntries(cacheDir), ['traefik'], 'no temp files left');
    const last = progress.at(-1);
    assert.deepEqual(last, { file: server.archiveName, received: server.archive.length, total: server.archive.length, percent: 100 });
  });

  it('a wrong checksum is refused and nothing is cached', async () => {
    server.behaviour = 'wrong-checksum';
    const cacheDir = freshCache();
    await assert.rejects(
      downloadTraefik({ ...linux, version: FAKE_VERSION, cacheDir, baseUrl: server.baseUrl }),
      (e) => isLbDevError(e) && e.code === 'TRAEFIK_CHECKSUM_MISMATCH' && e.message.includes('f'.repeat(64)),
    );
    assert.deepEqual(versionDirEntries(cacheDir), []);
  });

  it('a download cut short is reported as truncated and nothing is cached', async () => {
    server.behaviour = 'truncate';
    const cacheDir = freshCache();
    await assert.rejects(
      downloadTraefik({ ...linux, version: FAKE_VERSION, cacheDir, baseUrl: server.baseUrl }),
      (e) => isLbDevError(e) && e.code === 'TRAEFIK_DOWNLOAD_TRUNCATED' && e.message.includes(`expected ${server.archive.length} bytes`),
    );
    assert.deepEqual(versionDirEntries(cacheDir), []);
  });

  it('404 for the archive is an HTTP error naming the URL', async () => {
    server.behaviour = 'missing';
    await assert.rejects(
      downloadTraefik({ ...linux, version: FAKE_VERSION, cacheDir: freshCache(), baseUrl: server.baseUrl }),
      (e) => isLbDevError(e) && e.code === 'TRAEFIK_DOWNLOAD_HTTP' && e.message.includes('404') && e.message.includes(server.archiveName),
    );
  });

  it('an unknown version: 404 on the checksums file', async () => {
    server.behaviour = 'ok';
    await assert.rejects(
      downloadTraefik({ ...linux, version: 'v3.6.99', cacheDir: freshCache(), baseUrl: server.baseUrl }),
      (e) => isLbDevError(e) && e.code === 'TRAEFIK_DOWNLOAD_HTTP' && e.message.includes('traefik_v3.6.99_checksums.txt'),
    );
  });

  it('an unreachable base URL fails fast (connection refused)', async () => {
    const probe = createServer().listen(0, '127.0.0.1');
    await once(probe, 'listening');
    const port = (probe.address() as AddressInfo).port;
    probe.close();
    await once(probe, 'close');
    const started = Date.now();
    await assert.rejects(
      downloadTraefik({ ...linux, version: FAKE_VERSION, cacheDir: freshCache(), baseUrl: `http://127.0.0.1:${port}` }),
      (e) => isLbDevError(e) && e.code === 'TRAEFIK_DOWNLOAD_UNREACHABLE' && /ECONNREFUSED/.test(e.message),
    );
    assert.ok(Date.now() - started < 5_000);
  });

  it('a server that accepts but never answers hits the connect timeout', async () => {
    const silent = createServer(() => undefined).listen(0, '127.0.0.1');
    await once(silent, 'listening');
    const started = Date.now();
    try {
      await assert.rejects(
        downloadTraefik({
          ...linux,
          version: FAKE_VERSION,
          cacheDir: freshCache(),
          baseUrl: `http://127.0.0.1:${(silent.address() as AddressInfo).port}`,
          timeouts: { connectTimeoutMs: 300 },
        }),
        (e) => isLbDevError(e) && e.code === 'TRAEFIK_DOWNLOAD_UNREACHABLE' && e.message.includes('no answer within 300 ms'),
      );
      assert.ok(Date.now() - started < 5_000);
    } finally {
      silent.close();
    }
  });

  it('platforms without a .tar.gz release are refused with a coded error', async () => {
    for (const [platform, arch] of [
      ['win32', 'x64'],
      ['linux', 'ia32'],
    ] as const) {
      await assert.rejects(
        downloadTraefik({ platform, arch, version: FAKE_VERSION, cacheDir: freshCache(), baseUrl: server.baseUrl }),
        (e) => isLbDevError(e) && e.code === 'TRAEFIK_PLATFORM_UNSUPPORTED',
      );
    }
  });
});
