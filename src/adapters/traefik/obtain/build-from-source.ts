/**
 * Builds Traefik from its Go module with the machine's Go, as scripts/provide-traefik.sh did:
 * `go mod download -json` gives the module's directory; a writable copy of it is built with
 * CGO_ENABLED=0 -trimpath and the version stamped. (`go install pkg@version` refuses Traefik:
 * its go.mod has replace directives.) Slow the first time, so it reports progress.
 * The dashboard (webui/) is built first and embedded (build-webui.ts); if that fails, Traefik
 * is built without it and the output says so. A marker beside the cached binary records which.
 */
import { randomBytes } from 'node:crypto';
import { chmod, cp, mkdir, readFile, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runTool } from '../../run-tool.js';
import { LbDevError } from '../../../core/errors.js';
import { TRAEFIK_MODULE, TRAEFIK_REQUIRED_GO, goSatisfies, parseGoVersion } from '../../../core/traefik/release.js';
import { cachedTraefikPath, traefikVersionDir } from './cache-dir.js';
import { type WebuiBuild, buildWebui } from './build-webui.js';
import { whichOnPath } from './find-binary.js';

/** Go's tarball install location, often missing from a non-login shell's PATH. */
export const GO_TARBALL_PATH = '/usr/local/go/bin/go';

export interface GoToolchain {
  path: string;
  version: string;
}

export interface BuildOptions {
  version: string;
  cacheDir: string;
  go: GoToolchain;
  env?: NodeJS.ProcessEnv;
  /** One line at the start, then one every progressEveryMs while Go works. */
  onProgress?: (line: string) => void;
  progressEveryMs?: number;
  /** Why a build is needed, shown in the progress lines (e.g. "the download failed: ..."). */
  why?: string;
  /** Build and embed the dashboard; false builds the API-only binary at once. Default: true unless LB_DEV_TRAEFIK_NO_DASHBOARD=1. */
  dashboard?: boolean;
}

/** What `<binary>.build.json` beside a binary built here says; absent for other binaries. */
export interface BuildMarker {
  version: string;
  go: string;
  /** Whether /dashboard/ serves the web UI. */
  dashboard: boolean;
  /** How the dashboard was built, or why it is missing. */
  webui: string;
  builtAt: string;
}

export function buildMarkerPath(binaryPath: string): string {
  return `${binaryPath}.build.json`;
}

/** The marker of a binary built here, or null (not built here, or built before markers existed: no dashboard then). */
export async function readBuildMarker(binaryPath: string): Promise<BuildMarker | null> {
  try {
    return JSON.parse(await readFile(buildMarkerPath(binaryPath), 'utf8')) as BuildMarker;
  } catch {
    return null;
  }
}

/** The first Go on PATH or at /usr/local/go/bin/go that is new enough; throws TRAEFIK_BUILD_FAILED saying what was found. */
export async function findGo(env: NodeJS.ProcessEnv = process.env, fallbacks: readonly string[] = [GO_TARBALL_PATH]): Promise<GoToolchain> {
  const candidates = [await whichOnPath(process.platform === 'win32' ? 'go.exe' : 'go', env), ...fallbacks].filter((p): p is string => p !== null);
  const seen: string[] = [];
  for (const path of [...new Set(candidates)]) {
    const result = await runTool(path, ['version'], { env, timeoutMs: 15_000 });
    if (result.failed) {
      // A fallback path that is not there is not worth naming; one that ran and failed is.
      if (!fallbacks.includes(path) || result.exitCode !== null) seen.push(`${path}: ${result.shortMessage.split('\n')[0]}`);
      continue;
    }
    const parsed = parseGoVersion(result.stdout);
    if (parsed && goSatisfies(parsed, TRAEFIK_REQUIRED_GO)) return { path, version: parsed.join('.') };
    seen.push(`${path} is ${parsed ? `go${parsed.join('.')}` : JSON.stringify(result.stdout.trim())}`);
  }
  throw new LbDevError(
    'TRAEFIK_BUILD_FAILED',
    `expected Go >= ${TRAEFIK_REQUIRED_GO} (go on PATH${fallbacks.length ? ` or ${fallbacks.join(', ')}` : ''}), found ${seen.length ? seen.join('; ') : 'none'}`,
  );
}

/** Returns the cached binary's path. */
export async function buildTraefikFromSource(options: BuildOptions): Promise<string> {
  const { version, go } = options;
  const baseEnv = options.env ?? process.env;
  const env = { ...baseEnv, CGO_ENABLED: '0' };
  const say = options.onProgress ?? (() => undefined);
  const started = Date.now();
  const why = options.why ? ` (${options.why})` : '';
  say(
    `building Traefik ${version} from its Go module with go${go.version}${why}; the first build takes ~15-20 minutes on 2 cores (dashboard ~5, Go ~15), later ones are faster`,
  );
  let phase = 'building Traefik from source';
  const ticker = setInterval(() => {
    say(
      `still ${phase} (Traefik ${version}): ${formatElapsed(Date.now() - started)} so far. To skip this next time: start Docker, put traefik v3 on PATH (or set traefik.binary), or allow the download`,
    );
  }, options.progressEveryMs ?? 15_000);
  ticker.unref();
  const work = join(tmpdir(), `lb-dev-traefik-build-${randomBytes(4).toString('hex')}`);
  const dir = traefikVersionDir(options.cacheDir, version);
  const output = join(dir, `.build-${process.pid}-${randomBytes(4).toString('hex')}`);
  try {
    const moduleDir = await downloadModule(go.path, version, env);
    await cp(moduleDir, work, { recursive: true });
    await makeWritable(work); // module cache files are read-only
    const skip = options.dashboard === false ? 'not asked for' : baseEnv['LB_DEV_TRAEFIK_NO_DASHBOARD'] === '1' ? 'LB_DEV_TRAEFIK_NO_DASHBOARD=1' : null;
    const webui: WebuiBuild = skip
      ? { dashboard: false, reason: skip }
      : await buildWebui({
          moduleDir: work,
          env: baseEnv,
          say,
          onPhase: (next) => {
            phase = next;
          },
        });
    say(webui.dashboard ? `dashboard built (${webui.note}); now compiling Traefik with Go` : `building Traefik without the dashboard: ${webui.reason}`);
    phase = 'compiling Traefik with Go';
    await mkdir(dir, { recursive: true });
    const ldflags = `-s -w -X ${TRAEFIK_MODULE}/pkg/version.Version=${version}`;
    const build = await runTool(go.path, ['build', '-trimpath', '-ldflags', ldflags, '-o', output, './cmd/traefik'], { cwd: work, env });
    if (build.failed) {
      throw new LbDevError('TRAEFIK_BUILD_FAILED', `go build of traefik ${version} ${build.shortMessage}`, { details: lastLines(build.all, 20) });
    }
    await chmod(output, 0o755);
    const destination = cachedTraefikPath(options.cacheDir, version, process.platform === 'win32' ? 'traefik.exe' : 'traefik');
    const marker: BuildMarker = {
      version,
      go: go.version,
      dashboard: webui.dashboard,
      webui: webui.dashboard ? `built with ${webui.note}` : webui.reason,
      builtAt: new Date().toISOString(),
    };
    // An old marker must not describe the new binary; a missing one reads as "no dashboard", the safe side.
    await rm(buildMarkerPath(destination), { force: true });
    await rename(output, destination);
    await writeFile(buildMarkerPath(destination), `${JSON.stringify(marker, null, 2)}\n`, { mode: 0o600 });
    say(`built Traefik ${version} ${webui.dashboard ? 'with' : 'WITHOUT'} the dashboard in ${formatElapsed(Date.now() - started)}: ${destination}`);
    return destination;
  } finally {
    clearInterval(ticker);
    await rm(work, { recursive: true, force: true });
    await rm(output, { force: true });
  }
}

async function downloadModule(go: string, version: string, env: NodeJS.ProcessEnv): Promise<string> {
  const result = await runTool(go, ['mod', 'download', '-json', `${TRAEFIK_MODULE}@${version}`], { env });
  let info: { Dir?: string; Error?: string } = {};
  try {
    info = JSON.parse(result.stdout) as typeof info;
  } catch {
    // Not JSON: reported below with Go's stderr.
  }
  if (result.failed || !info.Dir) {
    const reason = info.Error ?? lastLines(result.stderr || result.stdout, 5).join(' | ');
    throw new LbDevError(
      'TRAEFIK_BUILD_FAILED',
      `expected \`go mod download\` to give the directory of ${TRAEFIK_MODULE}@${version}, got ${reason || `exit code ${result.exitCode}`}`,
    );
  }
  return info.Dir;
}

async function makeWritable(dir: string): Promise<void> {
  await chmod(dir, 0o755);
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) await makeWritable(path);
    else if (entry.isFile()) await chmod(path, ((await stat(path)).mode & 0o777) | 0o200);
  }
}

function lastLines(text: string, count: number): string[] {
  return text
    .split(/\r?\n/)
    .filter((line) => line.trim() !== '')
    .slice(-count);
}

export function formatElapsed(ms: number): string {
  const seconds = Math.round(ms / 1000);
  return seconds < 60 ? `${seconds}s` : `${Math.floor(seconds / 60)}m${String(seconds % 60).padStart(2, '0')}s`;
}
