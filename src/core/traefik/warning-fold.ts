/**
 * Traefik repeats some warnings every check: "Health check failed" once a second per server
 * while an instance is frozen. The `up` pane shows the first, then one line at the 10th, 100th,
 * 1000th... repeat with the count; `lb-dev logs traefik` keeps every line. Pure: lines in,
 * the text to show (or null) out; a repeat is the same message for the same target.
 */
import { stripAnsi } from '../text/ansi.js';

/** `2026-11-26T05:40:44Z WRN Health check failed. error="..." targetURL=http://127.0.0.1:19001` */
const REPEATING = /^\S+ WRN (Health check failed\.).*?\btargetURL=(\S+)/;
/** A repeat after this long of quiet starts a new run (the instance recovered, then froze again). */
const QUIET_MS = 10_000;

export function traefikWarningFold(): (raw: string, now: number) => string | null {
  const runs = new Map<string, { count: number; lastAt: number }>();
  return (raw, now) => {
    const match = REPEATING.exec(stripAnsi(raw));
    if (!match) return raw;
    const [, message, target] = match;
    const key = `${message} ${target}`;
    const run = runs.get(key);
    if (!run || now - run.lastAt > QUIET_MS) {
      runs.set(key, { count: 1, lastAt: now });
      return raw;
    }
    run.count++;
    run.lastAt = now;
    return Number.isInteger(Math.log10(run.count)) ? `${message} targetURL=${target} (x${run.count} in a row; lb-dev logs traefik has each)` : null;
  };
}
