import assert from 'node:assert/strict';
import { readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { buildWebui, missingLockedPackages, yarnEnv } from '../../../../../src/adapters/traefik/obtain/build-webui.js';
import { makeFakeCorepack, makeWebuiModule, removeFakeCorepackDirs } from './fake-corepack.js';

after(removeFakeCorepackDirs);

const systemPath = '/usr/bin:/bin';
// With the trailing slash npm's own default has: corepack must be given it without one.
const registry = 'http://127.0.0.1:9/registry/';
const registryPassed = 'http://127.0.0.1:9/registry';

function calls(log: string): string[] {
  return readFileSync(log, 'utf8').trim().split('\n');
}

describe('missingLockedPackages', () => {
  it('reads the names yarn reports as not found (YN0035), scoped or not, once each', () => {
    const output = [
      '➤ YN0000: ┌ Fetch step',
      '➤ YN0035: │ @traefik-labs/faency@npm:12.3.3: Package not found',
      '➤ YN0035: │   Response Code: 404 (Not Found)',
      '➤ YN0035: │ left-pad@npm:1.3.0: Package not found',
      '➤ YN0035: │ @traefik-labs/faency@npm:12.3.3: Package not found',
      '➤ YN0001: │ RequestError: connect ECONNREFUSED',
    ].join('\n');
    assert.deepEqual(missingLockedPackages(output), ['@traefik-labs/faency', 'left-pad']);
    assert.deepEqual(missingLockedPackages('➤ YN0001: │ RequestError: connect ECONNREFUSED'), []);
  });
});

describe('yarnEnv', () => {
  it("passes npm's configured registry without its trailing slash (corepack requests <registry>/<name>/<version>; a // answers 400)", async () => {
    // npm reads npm_config_registry from the environment: the real `npm config get registry` runs.
    const env = await yarnEnv({ PATH: process.env['PATH'], HOME: process.env['HOME'], npm_config_registry: 'https://registry.example.test//' });
    assert.equal(env['COREPACK_NPM_REGISTRY'], 'https://registry.example.test');
    assert.equal(env['YARN_NPM_REGISTRY_SERVER'], 'https://registry.example.test');
  });

  it('strips the slash from a registry given to corepack or yarn directly, and leaves one without a slash as it is', async () => {
    const env = await yarnEnv({ COREPACK_NPM_REGISTRY: 'http://127.0.0.1:4873/', YARN_NPM_REGISTRY_SERVER: 'http://127.0.0.1:4874' });
    assert.equal(env['COREPACK_NPM_REGISTRY'], 'http://127.0.0.1:4873');
    assert.equal(env['YARN_NPM_REGISTRY_SERVER'], 'http://127.0.0.1:4874');
  });
});

describe('buildWebui (fake corepack)', () => {
  it('installs from the lockfile and bundles into webui/static, with the registry, a throw-away yarn cache and the API path', async () => {
    const fake = makeFakeCorepack();
    const moduleDir = makeWebuiModule();
    const lines: string[] = [];
    const phases: string[] = [];
    const result = await buildWebui({
      moduleDir,
      env: { PATH: `${fake.binDir}:${systemPath}`, COREPACK_NPM_REGISTRY: registry },
      say: (line) => lines.push(line),
      onPhase: (phase) => phases.push(phase),
    });
    assert.deepEqual(result, { dashboard: true, install: 'lockfile', note: 'packages from its lockfile' });
    const webui = join(moduleDir, 'webui');
    assert.deepEqual(calls(fake.log), [
      `${webui} yarn install --immutable registry=${registryPassed} yarnRegistry=${registryPassed} globalCache=false api=/api`,
      `${webui} yarn build registry=${registryPassed} yarnRegistry=${registryPassed} globalCache=false api=/api`,
    ]);
    assert.match(readFileSync(join(webui, 'static', 'index.html'), 'utf8'), /src="\.\/assets\/index-abc\.js"/);
    assert.deepEqual(phases, ["installing the dashboard's packages", 'bundling the dashboard']);
    assert.match(lines[0]!, /with yarn 4\.9\.1: installing its packages from its lockfile/);
  });

  it('substitutes the former name of a locked package the registry does not serve, and says so', async () => {
    const fake = makeFakeCorepack({ lockedMissing: '@traefik-labs/faency@npm:12.3.3' });
    const moduleDir = makeWebuiModule();
    const lines: string[] = [];
    const result = await buildWebui({
      moduleDir,
      env: { PATH: `${fake.binDir}:${systemPath}`, COREPACK_NPM_REGISTRY: registry },
      say: (line) => lines.push(line),
    });
    assert.deepEqual(result, { dashboard: true, install: 'substituted', note: '@traefiklabs/faency@^12.0.0 for @traefik-labs/faency@12.3.3' });
    assert.deepEqual(
      calls(fake.log).map((line) => line.split(' registry=')[0]!.split(' ').slice(1).join(' ')),
      ['yarn install --immutable', 'yarn install --no-immutable', 'yarn build'],
    );
    const manifest = JSON.parse(readFileSync(join(moduleDir, 'webui', 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
      packageManager: string;
    };
    assert.deepEqual(manifest.dependencies, { '@traefik-labs/faency': 'npm:@traefiklabs/faency@^12.0.0', react: '^18.2.0' });
    assert.equal(manifest.packageManager, 'yarn@4.9.1');
    assert.ok(
      lines.some((line) => /registry does not serve @traefik-labs\/faency .*installing with @traefiklabs\/faency@\^12\.0\.0/.test(line)),
      lines.join('\n'),
    );
  });

  it('a missing package with no known former name is a failure, not a substitution', async () => {
    const fake = makeFakeCorepack({ lockedMissing: 'left-pad@npm:1.3.0' });
    const moduleDir = makeWebuiModule();
    const result = await buildWebui({ moduleDir, env: { PATH: `${fake.binDir}:${systemPath}`, COREPACK_NPM_REGISTRY: registry }, say: () => undefined });
    assert.equal(result.dashboard, false);
    assert.match(result.dashboard ? '' : result.reason, /^yarn install --immutable exited with code 1: .*left-pad@npm:1\.3\.0: Package not found/);
    assert.equal(calls(fake.log).length, 1);
  });

  it('a failing install gives no dashboard, with the reason, and leaves the placeholder', async () => {
    const fake = makeFakeCorepack({ failInstall: true });
    const moduleDir = makeWebuiModule();
    const result = await buildWebui({ moduleDir, env: { PATH: `${fake.binDir}:${systemPath}`, COREPACK_NPM_REGISTRY: registry }, say: () => undefined });
    assert.equal(result.dashboard, false);
    assert.match(result.dashboard ? '' : result.reason, /yarn install --immutable exited with code 1: .*ECONNREFUSED/);
    assert.deepEqual(readdirSync(join(moduleDir, 'webui', 'static')), ['DONT-EDIT-FILES-IN-THIS-DIRECTORY.md']);
  });

  it('a failing bundle puts the placeholder back (vite emptied static/, which go:embed needs non-empty)', async () => {
    const fake = makeFakeCorepack({ failBuild: true });
    const moduleDir = makeWebuiModule();
    const result = await buildWebui({ moduleDir, env: { PATH: `${fake.binDir}:${systemPath}`, COREPACK_NPM_REGISTRY: registry }, say: () => undefined });
    assert.equal(result.dashboard, false);
    assert.match(result.dashboard ? '' : result.reason, /^yarn build exited with code 1: .*Rollup failed to resolve import/);
    const static_ = join(moduleDir, 'webui', 'static');
    assert.deepEqual(readdirSync(static_), ['DONT-EDIT-FILES-IN-THIS-DIRECTORY.md']);
    assert.equal(readFileSync(join(static_, 'DONT-EDIT-FILES-IN-THIS-DIRECTORY.md'), 'utf8'), 'For more information see `webui/readme.md`');
  });

  it('a module without webui/package.json gives no dashboard, saying so', async () => {
    const fake = makeFakeCorepack();
    const moduleDir = makeWebuiModule();
    rmSync(join(moduleDir, 'webui', 'package.json'));
    const result = await buildWebui({ moduleDir, env: { PATH: `${fake.binDir}:${systemPath}`, COREPACK_NPM_REGISTRY: registry }, say: () => undefined });
    assert.equal(result.dashboard, false);
    assert.match(result.dashboard ? '' : result.reason, /expected the module to hold webui\/package\.json/);
  });
});
