/**
 * Turns a static traefik binary into a local Docker image with no registry involved (the
 * Engine API's `POST /images/create?fromSrc=-`, like `docker import`): a root filesystem of
 * /traefik, the host's CA bundle and an empty /tmp, with ENTRYPOINT ["/traefik"].
 */
import { existsSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { LbDevError } from '../../../core/errors.js';
import { type DockerEngine, connectDocker } from '../docker.js';
import { type TarEntry, tarStream } from './tar-pack.js';

export const HOST_CA_BUNDLE = '/etc/ssl/certs/ca-certificates.crt';

export interface ImportOptions {
  /** Default: connectDocker(). */
  engine?: DockerEngine;
  /** Value of the dev.lb-dev.built-from label, e.g. "release-download" or "go-module". */
  builtFrom?: string;
  /** Default: the host's /etc/ssl/certs/ca-certificates.crt when it exists; null for none. */
  caBundle?: string | null;
}

export async function importAsImage(binaryPath: string, image: string, version: string, options: ImportOptions = {}): Promise<void> {
  const engine = options.engine ?? (await connectDocker());
  const caBundle = options.caBundle === undefined ? (existsSync(HOST_CA_BUNDLE) ? HOST_CA_BUNDLE : null) : options.caBundle;
  const entries: TarEntry[] = [
    { type: 'file', name: 'traefik', mode: 0o755, size: (await stat(binaryPath)).size, source: binaryPath },
    { type: 'directory', name: 'tmp', mode: 0o1777 },
  ];
  if (caBundle) {
    entries.push(
      { type: 'directory', name: 'etc', mode: 0o755 },
      { type: 'directory', name: 'etc/ssl', mode: 0o755 },
      { type: 'directory', name: 'etc/ssl/certs', mode: 0o755 },
      { type: 'file', name: 'etc/ssl/certs/ca-certificates.crt', mode: 0o644, size: (await stat(caBundle)).size, source: caBundle },
    );
  }
  const { repo, tag } = splitImageName(image);
  const labels = [`org.opencontainers.image.version=${version}`, `dev.lb-dev.built-from=${options.builtFrom ?? 'local-binary'}`];
  try {
    const response = await engine.docker.importImage(tarStream(entries), {
      repo,
      tag,
      changes: ['ENTRYPOINT ["/traefik"]', `LABEL ${labels.join(' ')}`],
    });
    // The engine answers with JSON progress lines; an error arrives as one of them.
    await new Promise<void>((resolve, reject) => {
      engine.docker.modem.followProgress(response, (error: Error | null) => (error ? reject(error) : resolve()));
    });
  } catch (error) {
    throw new LbDevError(
      'TRAEFIK_IMAGE_MISSING',
      `expected ${binaryPath} to import as image ${image}, the engine (${engine.endpoint}) said: ${(error as Error).message}`,
      { cause: error },
    );
  }
}

/** "traefik:v3.6" -> traefik + v3.6; "host:5000/traefik" -> host:5000/traefik + latest. */
export function splitImageName(image: string): { repo: string; tag: string } {
  const colon = image.lastIndexOf(':');
  if (colon > image.lastIndexOf('/')) return { repo: image.slice(0, colon), tag: image.slice(colon + 1) };
  return { repo: image, tag: 'latest' };
}
