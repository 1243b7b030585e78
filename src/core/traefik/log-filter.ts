/**
 * Which of Traefik's own output lines the `up` pane shows: its errors and the warnings that
 * matter to a user of lb-dev. Start-up chatter (version, data collection notice, providers
 * starting, a warning about encoded characters in paths that lb-dev's routes do not touch)
 * stays in the log file: `lb-dev logs traefik` has every line. Pure: text in, yes or no out.
 */
import { stripAnsi } from '../text/ansi.js';

/** `2026-11-26T05:40:44Z WRN text` (Traefik's `common` format), colours stripped. */
const LEVELLED = /^\S+ (TRC|DBG|INF|WRN|ERR|FTL|PNC) ?(.*)$/;

/** Warnings and errors every start prints, that a user can do nothing about. */
const NOISE = [
  /^Traefik can reject some encoded characters in the request path/,
  // A Traefik built from source has no dashboard assets; lb-dev does not enable the dashboard.
  /^Error appending dashboard to API router/,
];

/** The unlevelled lines of the data-collection notice (one INF message spread over lines). */
const NOTICE = [/^$/, /^Stats collection is disabled\.$/, /^Help us improve Traefik/, /^More details on: https:\/\/doc\.traefik\.io\/traefik\/contributing\/data-collection/];

export function traefikLineMatters(raw: string): boolean {
  const text = stripAnsi(raw).trimEnd();
  const levelled = LEVELLED.exec(text);
  if (!levelled) return !NOTICE.some((pattern) => pattern.test(text)); // a panic's stack, a message of its own
  const [, level, message = ''] = levelled;
  if (level === 'WRN' || level === 'ERR' || level === 'FTL' || level === 'PNC') return !NOISE.some((pattern) => pattern.test(message));
  return false;
}
