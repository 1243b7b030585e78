/**
 * What Traefik v3 puts in the sticky cookie for a server: the first 16 hex digits of the
 * SHA-256 of its URL (seen from Traefik v3.6: `http://127.0.0.1:42659` -> `99825f727b4485fb`).
 */
import { createHash } from 'node:crypto';

export function traefikStickyValue(url: string): string {
  return createHash('sha256').update(url).digest('hex').slice(0, 16);
}
