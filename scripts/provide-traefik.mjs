#!/usr/bin/env node
// The work behind scripts/provide-traefik.sh (see there and docs/traefik-image.md), on the
// built lb-dev modules (dist/): obtain a Traefik v3.6 binary (cache, official release download
// with SHA-256 check, or a build from the Go module) and, without --binary, make sure the
// Docker image exists (present, pulled, or imported from that binary).
// Progress goes to stderr; with --binary only the binary's path goes to stdout.
import { connectDocker } from '../dist/adapters/traefik/docker.js';
import { describeObtainProgress, obtainTraefik } from '../dist/adapters/traefik/obtain/obtain-traefik.js';
import { importAsImage } from '../dist/adapters/traefik/obtain/import-image.js';
import { isLbDevError } from '../dist/core/errors.js';

const env = process.env;
const image = env.LB_DEV_TRAEFIK_IMAGE || 'traefik:v3.6';
const pullTimeoutMs = Number(env.LB_DEV_PULL_TIMEOUT || 60) * 1000;
const allowDownload = env.LB_DEV_TRAEFIK_NO_DOWNLOAD !== '1';
const allowBuild = env.LB_DEV_TRAEFIK_NO_BUILD !== '1';

const log = (message) => process.stderr.write(`[provide-traefik] ${message}\n`);

let lastDownloadLog = 0;
function onProgress(event) {
  // Download progress arrives several times a second; a line every 2 s is enough in a log.
  if (event.kind === 'download' && event.percent !== 100 && Date.now() - lastDownloadLog < 2000) return;
  if (event.kind === 'download') lastDownloadLog = Date.now();
  log(describeObtainProgress(event));
}

async function provideBinary(searchPath) {
  const obtained = await obtainTraefik({ allowDownload, allowBuild, searchPath, onProgress });
  log(obtained.why);
  return obtained;
}

async function provideImage() {
  const engine = await connectDocker();
  if (await engine.imageExists(image)) {
    log(`image ${image} present; nothing to do.`);
    return;
  }
  if (env.LB_DEV_SKIP_PULL !== '1') {
    log(`image ${image} missing; trying to pull it (${pullTimeoutMs / 1000}s at most) ...`);
    let timer;
    const timeout = new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no result within ${pullTimeoutMs / 1000}s`)), pullTimeoutMs);
    });
    try {
      await Promise.race([engine.pullImage(image, () => undefined), timeout]);
      log(`pulled ${image}`);
      return;
    } catch (error) {
      log(`pull failed (${error.message.split('\n')[0]}); importing a local binary instead`);
    } finally {
      clearTimeout(timer);
    }
  }
  const info = await engine.engineInfo();
  if (process.platform !== 'linux' || info.osType !== 'linux') {
    throw new Error(
      `importing needs a Linux Traefik binary for a Linux engine; this is ${process.platform} with a ${info.osType} engine: pull ${image} where a registry answers`,
    );
  }
  // Only a static build runs in an image with nothing else in it: not whatever traefik is on PATH.
  const obtained = await provideBinary(false);
  log(`importing ${obtained.path} as image ${image} ...`);
  await importAsImage(obtained.path, image, obtained.version ? `v${obtained.version}` : 'unknown', {
    engine,
    builtFrom: obtained.source === 'build' ? 'go-module' : obtained.source,
  });
  log(`image ${image} ready (Traefik ${obtained.version})`);
}

try {
  if (process.argv[2] === '--binary') process.stdout.write(`${(await provideBinary(true)).path}\n`);
  else await provideImage();
  process.exit(0);
} catch (error) {
  log(`error: ${error.message}${isLbDevError(error) ? ` [${error.code}]` : ''}`);
  if (isLbDevError(error)) {
    for (const line of error.details) log(`  ${line}`);
    log(error.fix);
  }
  // Exit at once: a pull that timed out may still hold a socket open.
  process.exit(1);
}
