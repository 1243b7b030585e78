/**
 * HTTP GET for release files with the failures told apart: no answer (network, DNS, refused,
 * connect timeout, stall), an HTTP status other than 200, and a body that ends early. fetch
 * follows GitHub's redirect to its download host by itself.
 */
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { LbDevError } from '../../../core/errors.js';

export interface FetchTimeouts {
  /** No response headers within this long: the network is taken to be unreachable. */
  connectTimeoutMs: number;
  /** No body bytes for this long: the transfer has stalled. */
  stallTimeoutMs: number;
}

export interface DownloadProgress {
  file: string;
  received: number;
  /** From Content-Length; null when the server does not say. */
  total: number | null;
  /** 0-100, null when the total is unknown. */
  percent: number | null;
}

export interface FetchedFile {
  bytes: number;
  sha256: string;
}

const PROGRESS_EVERY_MS = 250;

export async function fetchText(url: string, timeouts: FetchTimeouts): Promise<string> {
  const chunks: Buffer[] = [];
  await fetchBody(url, timeouts, (chunk) => {
    chunks.push(chunk);
  });
  return Buffer.concat(chunks).toString('utf8');
}

/** Streams the body of `url` into `destination`, hashing it on the way. */
export async function fetchToFile(
  url: string,
  destination: string,
  timeouts: FetchTimeouts,
  onProgress?: (progress: DownloadProgress) => void,
): Promise<FetchedFile> {
  const out = createWriteStream(destination, { mode: 0o644 });
  // A write still pending when a failed download destroys the stream errors later: keep it, not crash.
  let writeError: Error | null = null;
  out.on('error', (error) => {
    writeError ??= error;
  });
  const hash = createHash('sha256');
  const file = url.slice(url.lastIndexOf('/') + 1);
  let lastReport = 0;
  try {
    const { received, total } = await fetchBody(url, timeouts, async (chunk, received, total) => {
      hash.update(chunk);
      if (!out.write(chunk)) await once(out, 'drain');
      const now = Date.now();
      if (onProgress && received !== total && now - lastReport >= PROGRESS_EVERY_MS) {
        lastReport = now;
        onProgress({ file, received, total, percent: total ? Math.floor((received / total) * 100) : null });
      }
    });
    out.end();
    await once(out, 'close');
    if (writeError) throw writeError;
    onProgress?.({ file, received, total, percent: total ? 100 : null });
    return { bytes: received, sha256: hash.digest('hex') };
  } finally {
    out.destroy();
  }
}

async function fetchBody(
  url: string,
  timeouts: FetchTimeouts,
  onChunk: (chunk: Buffer, received: number, total: number | null) => void | Promise<void>,
): Promise<{ received: number; total: number | null }> {
  const abort = new AbortController();
  let timedOut: string | null = null;
  const arm = (ms: number, why: string) =>
    setTimeout(() => {
      timedOut = why;
      abort.abort();
    }, ms);
  let timer = arm(timeouts.connectTimeoutMs, `no answer within ${timeouts.connectTimeoutMs} ms`);
  let response: Response;
  try {
    response = await fetch(url, { signal: abort.signal, redirect: 'follow' });
  } catch (error) {
    clearTimeout(timer);
    throw new LbDevError('TRAEFIK_DOWNLOAD_UNREACHABLE', `expected an answer from ${url}, got ${timedOut ?? networkReason(error)}`, { cause: error });
  }
  if (response.status !== 200) {
    clearTimeout(timer);
    await response.body?.cancel().catch(() => undefined);
    throw new LbDevError('TRAEFIK_DOWNLOAD_HTTP', `expected 200 for ${url}, got ${response.status} ${response.statusText}`.trimEnd());
  }
  const length = response.headers.get('content-length');
  // With a Content-Encoding, fetch decodes and Content-Length no longer counts what we read.
  const total = length !== null && !response.headers.get('content-encoding') ? Number(length) : null;
  let received = 0;
  try {
    clearTimeout(timer);
    timer = arm(timeouts.stallTimeoutMs, `no data for ${timeouts.stallTimeoutMs} ms`);
    for await (const chunk of response.body ?? []) {
      clearTimeout(timer);
      timer = arm(timeouts.stallTimeoutMs, `no data for ${timeouts.stallTimeoutMs} ms`);
      const buffer = Buffer.from(chunk);
      received += buffer.length;
      await onChunk(buffer, received, total);
    }
  } catch (error) {
    if (error instanceof LbDevError) throw error;
    if (timedOut) throw new LbDevError('TRAEFIK_DOWNLOAD_UNREACHABLE', `download of ${url} stalled: ${timedOut} after ${received} bytes`, { cause: error });
    throw new LbDevError('TRAEFIK_DOWNLOAD_TRUNCATED', `expected ${total ?? 'all'} bytes of ${url}, got ${received} (${networkReason(error)})`, {
      cause: error,
    });
  } finally {
    clearTimeout(timer);
  }
  if (total !== null && received !== total) {
    throw new LbDevError('TRAEFIK_DOWNLOAD_TRUNCATED', `expected ${total} bytes of ${url}, got ${received} (the connection closed early)`);
  }
  return { received, total };
}

/** undici hides the useful part (ENOTFOUND, ECONNREFUSED, "other side closed") in error.cause. */
function networkReason(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } } | null)?.cause;
  if (cause?.code && cause.message) return cause.message.includes(cause.code) ? cause.message : `${cause.code}: ${cause.message}`;
  return cause?.message ?? (error as Error)?.message ?? String(error);
}
