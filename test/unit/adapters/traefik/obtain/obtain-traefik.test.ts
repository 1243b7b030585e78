import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { isLbDevError } from '../../../../../src/core/errors.js';
import { obtainTraefik, type ObtainOptions } from '../../../../../src/adapters/traefik/obtain/obtain-traefik.js';
import { FAKE_VERSION, type ReleaseServer, fakeTraefikScript, startReleaseServer } from './release-fixture.js';
import { makeFakeGo } from './fake-go.js';

const systemPath = '/usr/bin:/bin';

function freshCache(): string {
  return mkdtempSync(join(tmpdir(), 'lb-dev-cache-'));
}

/** A directory holding an executable `traefik` that reports `version`. */
function binDirWithTraefik(version: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'lb-dev-bin-'));
  writeFileSync(join(dir, 'traefik'), fakeTraefikScript(version));
  chmodSync(join(dir, 'traefik'), 0o755);
  return dir;
}

describe('obtainTraefik', () => {
  let server: ReleaseServer;
  before(async () => {
    server = await startReleaseServer();
  });
  after(() => server.close());
  const archivePath = () => `/${FAKE_VERSION}/${server.archiveName}`;
  const base = (cacheDir: string, extra: Partial<ObtainOptions> = {}): ObtainOptions => ({
    allowDownload: true,
    allowBuild: false,
    version: FAKE_VERSION,
    cacheDir,
    downloadBaseUrl: server.baseUrl,
    env: { PATH: systemPath },
    platform: 'linux',
    arch: 'x64',
    ...extra,
  });

  it('downloads once, then finds the cached binary without asking the server again', async () => {
    server.behaviour = 'ok';
    server.requests.clear();
    const cacheDir = freshCache();
    const first = await obtainTraefik(base(cacheDir));
    assert.equal(first.source, 'download');
    assert.match(first.why, /downloaded from http:\/\/127\.0\.0\.1/);
    const second = await obtainTraefik(base(cacheDir));
    assert.deepEqual([second.source, second.path, second.version], ['cache', first.path, '3.6.25']);
    assert.equal(server.requests.get(archivePath()), 1);
  });

  it('prefers traefik v3 on PATH, and skips a v2 one', async () => {
    const v3 = binDirWithTraefik('v3.5.1');
    const found = await obtainTraefik(base(freshCache(), { allowDownload: false, env: { PATH: `${v3}:${systemPath}` } }));
    assert.deepEqual([found.source, found.path, found.version], ['path', join(v3, 'traefik'), '3.5.1']);
    const v2 = binDirWithTraefik('2.11.3');
    server.behaviour = 'ok';
    const downloaded = await obtainTraefik(base(freshCache(), { env: { PATH: `${v2}:${systemPath}` } }));
    assert.equal(downloaded.source, 'download');
    assert.match(downloaded.attempts[0]!.reason, /Traefik 2\.11\.3; lb-dev needs v3/);
  });

  it('an explicitly configured binary wins; a broken one is TRAEFIK_BINARY_MISSING, not a silent download', async () => {
    const v3 = binDirWithTraefik('v3.6.1');
    const found = await obtainTraefik(base(freshCache(), { configured: join(v3, 'traefik') }));
    assert.equal(found.source, 'configured');
    await assert.rejects(
      obtainTraefik(base(freshCache(), { configured: '/nonexistent/traefik' })),
      (e) => isLbDevError(e) && e.code === 'TRAEFIK_BINARY_MISSING' && e.message.includes('no executable file there'),
    );
  });

  it('builds from source when the download fails', async () => {
    server.behaviour = 'missing';
    const fake = makeFakeGo();
    const messages: string[] = [];
    const built = await obtainTraefik(
      base(freshCache(), {
        allowBuild: true,
        env: { PATH: `${fake.binDir}:${systemPath}`, LB_DEV_TRAEFIK_NO_WHEEL: '1' },
        onProgress: (e) => {
          if (e.kind === 'message') messages.push(e.text);
        },
      }),
    );
    assert.equal(built.source, 'build');
    assert.match(built.why, /built from source because the download failed/);
    assert.match(built.attempts.at(-1)!.reason, /404.*\[TRAEFIK_DOWNLOAD_HTTP\]/);
    assert.ok(messages.some((m) => m.startsWith('building Traefik v3.6.25 from its Go module')));
  });

  it('when everything fails: TRAEFIK_UNAVAILABLE listing each attempt with its reason', async () => {
    server.behaviour = 'wrong-checksum';
    const fake = makeFakeGo({ failBuild: true });
    await assert.rejects(
      obtainTraefik(base(freshCache(), { allowBuild: true, env: { PATH: `${fake.binDir}:${systemPath}`, LB_DEV_TRAEFIK_NO_WHEEL: '1' } })),
      (e) => {
        assert.ok(isLbDevError(e) && e.code === 'TRAEFIK_UNAVAILABLE');
        assert.equal(e.details.length, 4);
        assert.match(e.details[0]!, /^traefik on PATH: not found$/);
        assert.match(e.details[1]!, /^cache .*traefik: not there$/);
        assert.match(e.details[2]!, /^download from .*\[TRAEFIK_CHECKSUM_MISMATCH\]$/);
        assert.match(e.details[3]!, /^build from source: go build of traefik v3\.6\.25 exited with code 1/);
        assert.match(e.fix, /Start Docker.*PATH.*download/);
        return true;
      },
    );
  });

  it('nothing allowed and nothing there: TRAEFIK_UNAVAILABLE at once', async () => {
    server.requests.clear();
    await assert.rejects(
      obtainTraefik(base(freshCache(), { allowDownload: false })),
      (e) =>
        isLbDevError(e) &&
        e.code === 'TRAEFIK_UNAVAILABLE' &&
        e.details.includes('download: not allowed') &&
        e.details.includes('build from source: not allowed'),
    );
    assert.equal(server.requests.size, 0);
  });

  it('two processes at once: one downloads, the other waits and reuses it', async () => {
    server.behaviour = 'ok';
    server.requests.clear();
    let release!: () => void;
    server.holdArchive = new Promise<void>((resolve) => {
      release = resolve;
    });
    const cacheDir = freshCache();
    const child = fileURLToPath(new URL('./obtain-child.ts', import.meta.url));
    const args = JSON.stringify({ cacheDir, baseUrl: server.baseUrl, path: systemPath });
    const children = [0, 1].map(() => spawn(process.execPath, ['--import', 'tsx', child, args], { stdio: ['ignore', 'pipe', 'pipe'] }));
    const outputs = children.map((c) => {
      const out = { stdout: '', stderr: '' };
      c.stdout.on('data', (d: Buffer) => {
        out.stdout += d;
      });
      c.stderr.on('data', (d: Buffer) => {
        out.stderr += d;
      });
      return out;
    });
    // Open the gate once one is downloading and the other reports it waits for it.
    await new Promise<void>((resolve) => {
      const check = () => {
        if (server.requests.get(archivePath()) === 1 && outputs.some((o) => o.stderr.includes('progress: waiting for pid'))) resolve();
      };
      for (const c of children) c.stderr.on('data', check);
    });
    release();
    server.holdArchive = null;
    const codes = await Promise.all(children.map(async (c) => (await once(c, 'exit'))[0]));
    assert.deepEqual(codes, [0, 0], outputs.map((o) => o.stderr).join('\n'));
    const results = outputs.map((o) => JSON.parse(o.stdout) as { source: string; path: string; why: string });
    assert.deepEqual(results.map((r) => r.source).sort(), ['cache', 'download']);
    assert.equal(results[0]!.path, results[1]!.path);
    assert.match(results.find((r) => r.source === 'cache')!.why, /obtained by pid \d+ while this one waited/);
    assert.equal(server.requests.get(archivePath()), 1);
    assert.equal(server.requests.get(`/${FAKE_VERSION}/traefik_${FAKE_VERSION}_checksums.txt`), 1);
  });
});
