/**
 * Downloads Traefik's official release archive for this machine, checks its SHA-256 against
 * the release's checksums file, and only then puts the binary into the cache: unpacked to a
 * temp file next to it, mode 0755, renamed into place (a reader never sees half a binary).
 */
import { randomBytes } from 'node:crypto';
import { chmod, mkdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { LbDevError } from '../../../core/errors.js';
import {
  DEFAULT_TRAEFIK_DOWNLOAD_URL,
  checksumsFileName,
  parseChecksums,
  releaseArchiveName,
  releaseFileUrl,
  releasePlatform,
} from '../../../core/traefik/release.js';
import { cachedTraefikPath, traefikVersionDir } from './cache-dir.js';
import { type DownloadProgress, type FetchTimeouts, fetchText, fetchToFile } from './http-fetch.js';
import { ArchiveError, extractTarGzEntry } from './tar-extract.js';

export const DEFAULT_FETCH_TIMEOUTS: FetchTimeouts = { connectTimeoutMs: 10_000, stallTimeoutMs: 30_000 };

export interface DownloadOptions {
  version: string;
  cacheDir: string;
  /** Where release files are: `<baseUrl>/<version>/<file>`. */
  baseUrl: string;
  /** process.platform / process.arch style; default this machine's. */
  platform?: string;
  arch?: string;
  timeouts?: Partial<FetchTimeouts>;
  onProgress?: (progress: DownloadProgress) => void;
}

/** The mirror in LB_DEV_TRAEFIK_DOWNLOAD_URL, else GitHub's release downloads. */
export function downloadBaseUrl(env: NodeJS.ProcessEnv = process.env): string {
  return env['LB_DEV_TRAEFIK_DOWNLOAD_URL'] || DEFAULT_TRAEFIK_DOWNLOAD_URL;
}

/** Returns the cached binary's path. */
export async function downloadTraefik(options: DownloadOptions): Promise<string> {
  const platform = options.platform ?? process.platform;
  const arch = options.arch ?? process.arch;
  const release = releasePlatform(platform, arch);
  if (release?.format !== 'tar.gz') {
    throw new LbDevError(
      'TRAEFIK_PLATFORM_UNSUPPORTED',
      release
        ? `expected a .tar.gz Traefik release for ${platform}/${arch}, but Traefik ships a .zip there, which lb-dev does not unpack`
        : `expected a Traefik release for ${platform}/${arch}, but lb-dev downloads only linux, darwin on amd64, arm64`,
    );
  }
  const timeouts = { ...DEFAULT_FETCH_TIMEOUTS, ...options.timeouts };
  const { version, baseUrl } = options;
  const archiveName = releaseArchiveName(version, release);
  const sumsName = checksumsFileName(version);

  const sums = parseChecksums(await fetchText(releaseFileUrl(baseUrl, version, sumsName), timeouts));
  const expected = sums.get(archiveName);
  if (!expected) {
    throw new LbDevError(
      'TRAEFIK_CHECKSUM_MISMATCH',
      `expected ${sumsName} to list ${archiveName}, it lists ${sums.size === 0 ? 'nothing' : [...sums.keys()].join(', ')}`,
    );
  }

  const dir = traefikVersionDir(options.cacheDir, version);
  await mkdir(dir, { recursive: true });
  const tag = `${process.pid}-${randomBytes(4).toString('hex')}`;
  const archive = join(dir, `.download-${tag}.tar.gz`);
  const unpacked = join(dir, `.unpack-${tag}`);
  try {
    const fetched = await fetchToFile(releaseFileUrl(baseUrl, version, archiveName), archive, timeouts, options.onProgress);
    if (fetched.sha256 !== expected) {
      throw new LbDevError('TRAEFIK_CHECKSUM_MISMATCH', `expected ${archiveName} to have SHA-256 ${expected} (from ${sumsName}), got ${fetched.sha256}`);
    }
    let found: boolean;
    try {
      found = await extractTarGzEntry(archive, release.binaryName, unpacked);
    } catch (error) {
      if (!(error instanceof ArchiveError)) throw error;
      throw new LbDevError('TRAEFIK_DOWNLOAD_TRUNCATED', `expected ${archiveName} to unpack, got ${error.message}`, { cause: error });
    }
    if (!found) throw new LbDevError('TRAEFIK_DOWNLOAD_TRUNCATED', `expected ${archiveName} to hold ${release.binaryName}, it does not`);
    await chmod(unpacked, 0o755);
    const destination = cachedTraefikPath(options.cacheDir, version, release.binaryName);
    await rename(unpacked, destination);
    return destination;
  } finally {
    await rm(archive, { force: true });
    await rm(unpacked, { force: true });
  }
}
