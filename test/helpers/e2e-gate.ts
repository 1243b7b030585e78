/**
 * Whether end-to-end tests can run here: a Docker engine that answers and the Traefik image
 * (and, for the binary suite, a local traefik executable).
 * Missing either -> the tests are skipped with the reason, or fail when LB_DEV_E2E_REQUIRED=1
 * (CI must never pass by skipping).
 *
 *   const gate = await e2eGate();
 *   describe('...', { skip: gate.skip || false }, () => { ... });
 */
import { execFile } from 'node:child_process';
import { accessSync, constants as fsConstants } from 'node:fs';
import { join } from 'node:path';
import { connectDocker, type DockerEngine } from '../../src/adapters/traefik/docker.js';
import { ROOT } from './lb-dev/cli.js';

export const DEFAULT_TRAEFIK_IMAGE = 'traefik:v3.6';

export function traefikImage(): string {
  return process.env['LB_DEV_TRAEFIK_IMAGE'] || DEFAULT_TRAEFIK_IMAGE;
}

export async function e2eGate(): Promise<{ skip: false } | { skip: string }> {
  const reason = await whyNot();
  if (reason === null) return { skip: false };
  if (process.env['LB_DEV_E2E_REQUIRED'] === '1') {
    throw new Error(`end-to-end tests are required (LB_DEV_E2E_REQUIRED=1) but cannot run: ${reason}`);
  }
  return { skip: reason };
}

async function whyNot(): Promise<string | null> {
  let engine: DockerEngine;
  try {
    engine = await connectDocker();
  } catch (error) {
    const tried = (error as { details?: readonly string[] }).details ?? [];
    return `Docker engine not reachable at ${tried.join(', ') || 'the default socket'}; run scripts/provide-docker.sh`;
  }
  const image = traefikImage();
  try {
    if (!(await engine.imageExists(image))) return `image ${image} missing; run scripts/provide-traefik.sh`;
  } catch (error) {
    return `could not check image ${image} on ${engine.endpoint}: ${(error as Error).message}`;
  }
  return null;
}

/**
 * The cached traefik binary from `scripts/provide-traefik.sh --binary`. When that fails the
 * file is skipped, or fails under LB_DEV_E2E_REQUIRED=1 (like e2eGate()).
 */
export async function traefikBinaryGate(): Promise<{ skip: false; binary: string } | { skip: string }> {
  const reason = await new Promise<string | { binary: string }>((resolve) => {
    // A cold build takes ~16 min on 2 cores; normally the binary is cached and this takes ~10 ms.
    execFile('bash', [join(ROOT, 'scripts', 'provide-traefik.sh'), '--binary'], { cwd: ROOT, timeout: 30 * 60_000 }, (error, stdout, stderr) => {
      if (error) {
        resolve(`scripts/provide-traefik.sh --binary failed (${error.message.split('\n')[0]}): ${stderr.trim().split('\n').slice(-3).join(' | ')}`);
        return;
      }
      const binary = stdout.trim().split('\n').pop() ?? '';
      try {
        accessSync(binary, fsConstants.X_OK);
        resolve({ binary });
      } catch {
        resolve(`scripts/provide-traefik.sh --binary printed ${JSON.stringify(binary)}, which is not an executable file`);
      }
    });
  });
  if (typeof reason !== 'string') return { skip: false, binary: reason.binary };
  if (process.env['LB_DEV_E2E_REQUIRED'] === '1') {
    throw new Error(`end-to-end tests are required (LB_DEV_E2E_REQUIRED=1) but cannot run: ${reason}`);
  }
  return { skip: reason };
}
