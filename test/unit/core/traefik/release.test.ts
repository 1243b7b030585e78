import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isLbDevError } from '../../../../src/core/errors.js';
import {
  PINNED_TRAEFIK_VERSION,
  checksumsFileName,
  goSatisfies,
  isTraefikV3,
  parseChecksums,
  parseGoVersion,
  parseTraefikVersionOutput,
  releaseArchiveName,
  releaseFileUrl,
  releasePlatform,
  traefikVersion,
} from '../../../../src/core/traefik/release.js';

describe('releasePlatform and archive names', () => {
  const cases: Array<[string, string, string | null]> = [
    ['linux', 'x64', 'traefik_v3.6.25_linux_amd64.tar.gz'],
    ['linux', 'arm64', 'traefik_v3.6.25_linux_arm64.tar.gz'],
    ['darwin', 'arm64', 'traefik_v3.6.25_darwin_arm64.tar.gz'],
    ['darwin', 'x64', 'traefik_v3.6.25_darwin_amd64.tar.gz'],
    ['win32', 'x64', 'traefik_v3.6.25_windows_amd64.zip'],
    ['linux', 'ia32', null],
    ['freebsd', 'x64', null],
  ];
  for (const [platform, arch, name] of cases) {
    it(`${platform}/${arch} -> ${name}`, () => {
      const release = releasePlatform(platform, arch);
      assert.equal(release ? releaseArchiveName('v3.6.25', release) : null, name);
    });
  }
  it('windows ships traefik.exe, the others traefik', () => {
    assert.equal(releasePlatform('win32', 'arm64')?.binaryName, 'traefik.exe');
    assert.equal(releasePlatform('linux', 'x64')?.binaryName, 'traefik');
  });
  it('checksums file and URL', () => {
    assert.equal(checksumsFileName('v3.6.25'), 'traefik_v3.6.25_checksums.txt');
    assert.equal(releaseFileUrl('https://m.example/dl//', 'v3.6.25', 'x.tar.gz'), 'https://m.example/dl/v3.6.25/x.tar.gz');
  });
});

describe('traefikVersion', () => {
  it('pinned unless overridden', () => {
    assert.equal(traefikVersion(undefined), PINNED_TRAEFIK_VERSION);
    assert.equal(traefikVersion(''), PINNED_TRAEFIK_VERSION);
    assert.equal(traefikVersion('v3.6.20'), 'v3.6.20');
    assert.equal(traefikVersion('v3.7.0-rc.1'), 'v3.7.0-rc.1');
  });
  for (const bad of ['3.6.20', 'v2.11.0', 'latest', 'v3.6']) {
    it(`refuses ${bad}`, () => {
      assert.throws(
        () => traefikVersion(bad),
        (e) => isLbDevError(e) && e.code === 'CONFIG_INVALID' && e.message.includes(JSON.stringify(bad)),
      );
    });
  }
});

describe('parseChecksums', () => {
  it('reads text and binary mode lines, ignores the rest', () => {
    const a = 'a'.repeat(64);
    const b = 'B'.repeat(64);
    const sums = parseChecksums(
      `${a}  traefik_v3.6.25_linux_amd64.tar.gz\r\n${b} *traefik_v3.6.25_windows_amd64.zip\n\ngarbage line\n${'c'.repeat(63)}  short.tar.gz\n`,
    );
    assert.deepEqual(
      [...sums],
      [
        ['traefik_v3.6.25_linux_amd64.tar.gz', a],
        ['traefik_v3.6.25_windows_amd64.zip', 'b'.repeat(64)],
      ],
    );
  });
});

describe('version output', () => {
  it('traefik version: official and source builds', () => {
    assert.equal(parseTraefikVersionOutput('Version:      3.6.2\nCodename:     ramequin\nGo version:   go1.24.9\n'), '3.6.2');
    assert.equal(parseTraefikVersionOutput('Version: v3.6.25\n'), '3.6.25');
    assert.equal(parseTraefikVersionOutput('traefik: command not understood'), null);
    assert.ok(isTraefikV3('3.6.2') && isTraefikV3('v3.0.0') && !isTraefikV3('2.11.3'));
  });
  it('go version and the minimum', () => {
    assert.deepEqual(parseGoVersion('go version go1.26.8 linux/amd64'), [1, 26, 8]);
    assert.deepEqual(parseGoVersion('go version go1.26rc1 linux/amd64'), [1, 26, 0]);
    assert.equal(parseGoVersion('bash: go: not found'), null);
    assert.ok(goSatisfies([1, 26, 0], '1.26'));
    assert.ok(goSatisfies([1, 27, 0], '1.26'));
    assert.ok(goSatisfies([2, 0, 0], '1.26'));
    assert.ok(!goSatisfies([1, 25, 9], '1.26'));
  });
});
