/**
 * Which of Traefik's own output lines the `up` pane shows: its errors and the warnings that
 * matter to a user of lb-dev. Start-up chatter (version, the version-check and data-collection
 * notices, providers starting, a warning about encoded characters in paths that lb-dev's
 * routes do not touch) stays in the log file: `lb-dev logs traefik` has every line.
 * Pure: lines in, yes or no out (the filter remembers only the last levelled line's verdict).
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

/** Go's own crash output has no level: always shown. */
const CRASH = /^(panic: |fatal error: |goroutine \d+ \[)/;

/** Whether one levelled line matters; null for a line without a level (a continuation). */
export function traefikLineMatters(raw: string): boolean | null {
  const levelled = LEVELLED.exec(stripAnsi(raw).trimEnd());
  if (!levelled) return null;
  const [, level, message = ''] = levelled;
  if (level === 'WRN' || level === 'ERR' || level === 'FTL' || level === 'PNC') return !NOISE.some((pattern) => pattern.test(message));
  return false;
}

/**
 * A filter for one Traefik's lines in order. A message spread over lines (the INF notices
 * are) continues without a level: those lines go with the verdict of the line that started it.
 */
export function traefikConsoleFilter(): (raw: string) => boolean {
  let lastVerdict = false;
  return (raw) => {
    const verdict = traefikLineMatters(raw);
    if (verdict !== null) lastVerdict = verdict;
    else if (CRASH.test(stripAnsi(raw))) lastVerdict = true;
    return lastVerdict;
  };
}
