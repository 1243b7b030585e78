import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { isLbDevError } from '../../../../../src/core/errors.js';
import { buildTraefikFromSource, findGo, readBuildMarker } from '../../../../../src/adapters/traefik/obtain/build-from-source.js';
import { makeFakeCorepack, removeFakeCorepackDirs } from './fake-corepack.js';
import { makeFakeGo } from './fake-go.js';

const systemPath = '/usr/bin:/bin';

after(removeFakeCorepackDirs);

describe('findGo', () => {
  it('takes the go on PATH when it is new enough', async () => {
    const fake = makeFakeGo();
    assert.deepEqual(await findGo({ PATH: `${fake.binDir}:${systemPath}` }), { path: join(fake.binDir, 'go'), version: '1.26.1' });
  });

  it('refuses an old go on PATH, saying which', async () => {
    const fake = makeFakeGo({ goVersion: 'go1.22.4' });
    await assert.rejects(
      findGo({ PATH: `${fake.binDir}:${systemPath}` }, ['/nonexistent/go/bin/go']),
      (e) =>
        isLbDevError(e) &&
        e.code === 'TRAEFIK_BUILD_FAILED' &&
        /expected Go >= 1\.26 \(go on PATH or \/nonexistent\/go\/bin\/go\), found .*go is go1\.22\.4$/.test(e.message),
    );
  });

  it('falls back to a new enough go outside PATH', async () => {
    const old = makeFakeGo({ goVersion: 'go1.22.4' });
    const good = makeFakeGo();
    const go = await findGo({ PATH: `${old.binDir}:${systemPath}` }, [join(good.binDir, 'go')]);
    assert.equal(go.path, join(good.binDir, 'go'));
  });
});

describe('buildTraefikFromSource (fake go)', () => {
  it('downloads the module, builds a writable copy with the version stamped, caches the result 0755', async () => {
    const fake = makeFakeGo();
    const cacheDir = mkdtempSync(join(tmpdir(), 'lb-dev-cache-'));
    const lines: string[] = [];
    const path = await buildTraefikFromSource({
      version: 'v3.6.25',
      cacheDir,
      go: { path: join(fake.binDir, 'go'), version: '1.26.1' },
      env: { PATH: `${fake.binDir}:${systemPath}`, HOME: tmpdir() },
      onProgress: (line) => lines.push(line),
      why: 'the download failed',
    });
    assert.equal(path, join(cacheDir, 'traefik', 'v3.6.25', 'traefik'));
    assert.equal(statSync(path).mode & 0o777, 0o755);
    assert.match(execFileSync(path, ['version'], { encoding: 'utf8' }), /v3\.6\.25/);
    assert.deepEqual(readdirSync(join(cacheDir, 'traefik', 'v3.6.25')).sort(), ['traefik', 'traefik.build.json'], 'no temp output left');
    const marker = await readBuildMarker(path);
    assert.equal(marker?.dashboard, false);
    assert.match(marker?.webui ?? '', /expected the module to hold webui\/package\.json/);
    const calls = readFileSync(fake.log, 'utf8').trim().split('\n');
    assert.equal(calls.length, 2);
    assert.match(calls[0]!, / CGO_ENABLED=0 mod download -json github\.com\/traefik\/traefik\/v3@v3\.6\.25$/);
    const build = calls[1]!;
    assert.match(
      build,
      /CGO_ENABLED=0 build -trimpath -ldflags -s -w -X github\.com\/traefik\/traefik\/v3\/pkg\/version\.Version=v3\.6\.25 -o \S+ \.\/cmd\/traefik$/,
    );
    const buildDir = build.split(' ')[0]!;
    assert.notEqual(buildDir, fake.moduleDir, 'builds a copy, not the module cache');
    assert.throws(() => statSync(buildDir), 'the copy is removed afterwards');
    assert.match(lines[0]!, /building Traefik v3\.6\.25 from its Go module with go1\.26\.1 \(the download failed\)/);
    assert.ok(
      lines.some((line) => /^building Traefik without the dashboard: expected the module to hold webui/.test(line)),
      lines.join('\n'),
    );
    assert.match(lines.at(-1)!, /^built Traefik v3\.6\.25 WITHOUT the dashboard in \d+s/);
  });

  it('builds the dashboard first and embeds it; the marker says so', async () => {
    const fake = makeFakeGo({ webui: true });
    const corepack = makeFakeCorepack();
    const cacheDir = mkdtempSync(join(tmpdir(), 'lb-dev-cache-'));
    const lines: string[] = [];
    const path = await buildTraefikFromSource({
      version: 'v3.6.25',
      cacheDir,
      go: { path: join(fake.binDir, 'go'), version: '1.26.1' },
      env: { PATH: `${fake.binDir}:${corepack.binDir}:${systemPath}`, HOME: tmpdir(), COREPACK_NPM_REGISTRY: 'http://127.0.0.1:9/' },
      onProgress: (line) => lines.push(line),
    });
    assert.match(readFileSync(fake.log, 'utf8'), /^embeds webui\/static\/index\.html$/m, 'go build saw the built dashboard');
    assert.equal(readFileSync(corepack.log, 'utf8').trim().split('\n').length, 2, 'yarn install + yarn build');
    const marker = await readBuildMarker(path);
    assert.deepEqual(
      { version: marker?.version, go: marker?.go, dashboard: marker?.dashboard, webui: marker?.webui },
      { version: 'v3.6.25', go: '1.26.1', dashboard: true, webui: 'built with packages from its lockfile' },
    );
    assert.equal(statSync(`${path}.build.json`).mode & 0o777, 0o600);
    assert.ok(lines.includes('dashboard built (packages from its lockfile); now compiling Traefik with Go'), lines.join('\n'));
    assert.match(lines.at(-1)!, /^built Traefik v3\.6\.25 with the dashboard in \d+s/);
  });

  it('a failing dashboard build still gives Traefik, without the dashboard, and says why', async () => {
    const fake = makeFakeGo({ webui: true });
    const corepack = makeFakeCorepack({ failBuild: true });
    const cacheDir = mkdtempSync(join(tmpdir(), 'lb-dev-cache-'));
    const lines: string[] = [];
    const path = await buildTraefikFromSource({
      version: 'v3.6.25',
      cacheDir,
      go: { path: join(fake.binDir, 'go'), version: '1.26.1' },
      env: { PATH: `${fake.binDir}:${corepack.binDir}:${systemPath}`, HOME: tmpdir(), COREPACK_NPM_REGISTRY: 'http://127.0.0.1:9/' },
      onProgress: (line) => lines.push(line),
    });
    assert.doesNotMatch(readFileSync(fake.log, 'utf8'), /embeds webui/);
    assert.equal((await readBuildMarker(path))?.dashboard, false);
    assert.ok(
      lines.some((line) => /^building Traefik without the dashboard: yarn build exited with code 1/.test(line)),
      lines.join('\n'),
    );
  });

  it('dashboard: false skips the dashboard build', async () => {
    const fake = makeFakeGo({ webui: true });
    const corepack = makeFakeCorepack();
    const cacheDir = mkdtempSync(join(tmpdir(), 'lb-dev-cache-'));
    const path = await buildTraefikFromSource({
      version: 'v3.6.25',
      cacheDir,
      go: { path: join(fake.binDir, 'go'), version: '1.26.1' },
      dashboard: false,
      env: { PATH: `${fake.binDir}:${corepack.binDir}:${systemPath}`, HOME: tmpdir() },
    });
    assert.throws(() => statSync(corepack.log), 'corepack never ran');
    assert.deepEqual(await readBuildMarker(path).then((m) => [m?.dashboard, m?.webui]), [false, 'not asked for']);
  });

  it('LB_DEV_TRAEFIK_NO_DASHBOARD=1 skips the dashboard build too, saying so', async () => {
    const fake = makeFakeGo({ webui: true });
    const corepack = makeFakeCorepack();
    const cacheDir = mkdtempSync(join(tmpdir(), 'lb-dev-cache-'));
    const lines: string[] = [];
    const path = await buildTraefikFromSource({
      version: 'v3.6.25',
      cacheDir,
      go: { path: join(fake.binDir, 'go'), version: '1.26.1' },
      onProgress: (line) => lines.push(line),
      env: { PATH: `${fake.binDir}:${corepack.binDir}:${systemPath}`, HOME: tmpdir(), LB_DEV_TRAEFIK_NO_DASHBOARD: '1' },
    });
    assert.throws(() => statSync(corepack.log), 'corepack never ran');
    assert.equal((await readBuildMarker(path))?.webui, 'LB_DEV_TRAEFIK_NO_DASHBOARD=1');
    assert.ok(lines.includes('building Traefik without the dashboard: LB_DEV_TRAEFIK_NO_DASHBOARD=1'), lines.join('\n'));
  });

  it("a failing go build is TRAEFIK_BUILD_FAILED with Go's last lines, nothing cached", async () => {
    const fake = makeFakeGo({ failBuild: true });
    const cacheDir = mkdtempSync(join(tmpdir(), 'lb-dev-cache-'));
    await assert.rejects(
      buildTraefikFromSource({
        version: 'v3.6.25',
        cacheDir,
        go: { path: join(fake.binDir, 'go'), version: '1.26.1' },
        env: { PATH: `${fake.binDir}:${systemPath}` },
      }),
      (e) =>
        isLbDevError(e) && e.code === 'TRAEFIK_BUILD_FAILED' && /exited with code 1/.test(e.message) && e.details.some((d) => d.includes("expected 'package'")),
    );
    assert.deepEqual(readdirSync(join(cacheDir, 'traefik', 'v3.6.25')), []);
  });
});
