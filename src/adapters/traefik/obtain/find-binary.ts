/**
 * Looks for a Traefik binary that is already there, in order: the one configured
 * (traefik.binary), `traefik` on PATH if it says it is v3, the cached one of the wanted
 * version. Says for each place why it was not used.
 */
import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import { isTraefikV3, parseTraefikVersionOutput } from '../../../core/traefik/release.js';
import { cachedTraefikPath } from './cache-dir.js';
import { runTool } from '../../run-tool.js';

export type TraefikSource = 'configured' | 'path' | 'cache' | 'download' | 'build';

export interface FoundTraefik {
  path: string;
  source: TraefikSource;
  /** As `traefik version` reports it, without the v ("3.6.25"); null if it could not be read. */
  version: string | null;
}

/** One place looked at or one way tried, and why it gave no binary. */
export interface ObtainAttempt {
  what: string;
  reason: string;
}

export interface FindOptions {
  /** An explicitly configured path or program name; omit to skip this step. */
  configured?: string;
  version: string;
  cacheDir: string;
  env?: NodeJS.ProcessEnv;
  binaryName?: string;
  /** Look for `traefik` on PATH (default true). Off where only a static build will do (image import). */
  searchPath?: boolean;
}

const VERSION_TIMEOUT_MS = 10_000;

export async function findTraefikBinary(options: FindOptions): Promise<{ found: FoundTraefik | null; attempts: ObtainAttempt[] }> {
  const env = options.env ?? process.env;
  const binaryName = options.binaryName ?? (process.platform === 'win32' ? 'traefik.exe' : 'traefik');
  const attempts: ObtainAttempt[] = [];

  if (options.configured !== undefined) {
    const what = `traefik.binary ${JSON.stringify(options.configured)}`;
    const path =
      options.configured.includes('/') || options.configured.includes('\\')
        ? (await isExecutable(options.configured))
          ? options.configured
          : null
        : await whichOnPath(options.configured, env);
    if (!path) {
      attempts.push({ what, reason: options.configured.includes('/') ? 'no executable file there' : 'not found on PATH' });
    } else {
      const checked = await checkV3(path);
      if (typeof checked === 'string') attempts.push({ what, reason: checked });
      else return { found: { path, source: 'configured', version: checked.version }, attempts };
    }
  }

  const onPath = options.searchPath === false ? null : await whichOnPath(binaryName, env);
  if (options.searchPath === false) {
    attempts.push({ what: `${binaryName} on PATH`, reason: 'not searched (a static build is needed)' });
  } else if (!onPath) {
    attempts.push({ what: `${binaryName} on PATH`, reason: 'not found' });
  } else {
    const checked = await checkV3(onPath);
    if (typeof checked === 'string') attempts.push({ what: `${onPath} (on PATH)`, reason: checked });
    else return { found: { path: onPath, source: 'path', version: checked.version }, attempts };
  }

  const cached = cachedTraefikPath(options.cacheDir, options.version, binaryName);
  if (!(await isExecutable(cached))) {
    attempts.push({ what: `cache ${cached}`, reason: 'not there' });
  } else {
    const checked = await checkV3(cached);
    if (typeof checked === 'string') attempts.push({ what: `cache ${cached}`, reason: checked });
    else return { found: { path: cached, source: 'cache', version: checked.version }, attempts };
  }
  return { found: null, attempts };
}

/** Runs `<path> version`: the version when it is a v3, else why not. */
export async function checkV3(path: string): Promise<{ version: string | null } | string> {
  const result = await runVersion(path);
  if (typeof result !== 'string') return `\`${path} version\` failed: ${result.failure.split('\n')[0]}`;
  const version = parseTraefikVersionOutput(result);
  if (version === null) return `\`${path} version\` printed no "Version:" line`;
  if (!isTraefikV3(version)) return `it is Traefik ${version}; lb-dev needs v3`;
  return { version };
}

/** `<path> version`'s stdout, or why it failed. */
async function runVersion(path: string): Promise<string | { failure: string }> {
  const result = await runTool(path, ['version'], { timeoutMs: VERSION_TIMEOUT_MS, maxBytes: 1 << 20 });
  if (result.truncated) return { failure: 'it printed more than 1 MiB' };
  if (result.timedOut) return { failure: `no answer within ${VERSION_TIMEOUT_MS} ms` };
  return result.failed ? { failure: result.shortMessage } : result.stdout;
}

export async function whichOnPath(name: string, env: NodeJS.ProcessEnv): Promise<string | null> {
  for (const dir of (env['PATH'] ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, name);
    if (await isExecutable(candidate)) return candidate;
  }
  return null;
}

async function isExecutable(path: string): Promise<boolean> {
  try {
    await access(path, constants.X_OK);
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}
