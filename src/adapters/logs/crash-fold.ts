/**
 * The console's view of a crash loop: the first crash of a run shows its whole output (the
 * stack trace), but once an instance crashes again and again, each further run's output is
 * held back and its exit shows as one line with a count and the run's last error line:
 * `exited with code 1 (x4): Error: Found another Vite dev process ...; restarting in 1.6s`.
 * Only the view folds: the files and `lb-dev logs` keep every line. A run that gets ready (or
 * is stopped) shows what was held back. It reads the instance's own event lines
 * (state-machine.ts, instance-launch.ts): `exited with code N`/`killed by SIG...; restarting`.
 */
import { stripAnsi } from '../../core/text/ansi.js';
import type { LogLine } from './log-line.js';

/** Lines of one run held back, at most (the files have them all). */
const MAX_HELD = 200;
const CRASH = /^(exited with code \S+|killed by \S+); (restarting in .*)$/;
const SETTLED = /^(ready after |stopped \()/;
/** A line that starts an error (`Error: ...`, `TypeError: ...`, `error Command failed`, `panic: ...`): the run's headline. */
const HEADLINE = /^\s*(\w*(error|exception)\b|fatal\b|panic:)/i;
/** Else a line that mentions one. */
const ERROR_LINE = /\b(error|exception|fatal|failed|cannot|refused|denied|EADDRINUSE)\b/i;

interface SourceFold {
  crashes: number;
  held: LogLine[];
  lastHeadline: string | null;
  lastError: string | null;
  lastLine: string | null;
}

const emptyFold = (): SourceFold => ({ crashes: 0, held: [], lastHeadline: null, lastError: null, lastLine: null });

export class CrashFold {
  private readonly sources = new Map<string, SourceFold>();

  /** The lines to show now for `line` (none while a crash loop's run is held back). */
  take(line: LogLine): LogLine[] {
    const fold = this.foldOf(line.source);
    if (line.stream !== 'event') {
      const plain = stripAnsi(line.text).trim();
      if (plain !== '') fold.lastLine = plain;
      if (HEADLINE.test(plain)) fold.lastHeadline = plain;
      if (plain !== '' && ERROR_LINE.test(plain)) fold.lastError = plain;
      if (fold.crashes === 0) return [line];
      if (fold.held.length < MAX_HELD) fold.held.push(line);
      return [];
    }
    const crash = CRASH.exec(line.text);
    if (crash) return [this.crashed(fold, line, crash[1]!, crash[2]!)];
    if (SETTLED.test(line.text)) {
      const held = fold.held;
      this.sources.set(line.source, emptyFold());
      return [...held, line];
    }
    return [line];
  }

  private crashed(fold: SourceFold, line: LogLine, how: string, next: string): LogLine {
    fold.crashes++;
    const last = fold.lastHeadline ?? fold.lastError ?? fold.lastLine;
    Object.assign(fold, { ...emptyFold(), crashes: fold.crashes });
    if (fold.crashes === 1) return line;
    const text = `${how} (x${fold.crashes})${last ? `: ${last}` : ''}; ${next}; full output: lb-dev logs ${line.source}`;
    return { ...line, text };
  }

  private foldOf(source: string): SourceFold {
    let fold = this.sources.get(source);
    if (!fold) {
      fold = emptyFold();
      this.sources.set(source, fold);
    }
    return fold;
  }
}
