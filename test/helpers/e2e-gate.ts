/**
 * Whether end-to-end tests can run here: a Docker engine that answers and the Traefik image.
 * Missing either -> the tests are skipped with the reason, or fail when LB_DEV_E2E_REQUIRED=1
 * (CI must never pass by skipping).
 *
 *   const gate = await e2eGate();
 *   describe('...', { skip: gate.skip || false }, () => { ... });
 */
import { connectDocker, type DockerEngine } from '../../src/adapters/traefik/docker.js';

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
