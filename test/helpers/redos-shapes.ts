// The known shapes of regular expressions that backtrack catastrophically (ReDoS), each with the
// line that almost matches it, and seeded mutations of them. Shared by the fuzz tests of the
// patterns lb-dev runs on output lines (test/unit/fuzz/user-patterns.test.ts, config.test.ts).
import { ReadinessWatch } from '../../src/app/readiness.js';
import type { Picker } from './fuzz.js';

export interface RedosShape {
  pattern: string;
  /** Repeated to build a line the pattern almost matches ... */
  unit: string;
  /** ... and then this, which makes it fail at the very end. */
  tail: string;
}

export const REDOS_SHAPES: readonly RedosShape[] = [
  { pattern: '(a+)+$', unit: 'a', tail: '!' },
  { pattern: '(a|a)*$', unit: 'a', tail: '!' },
  { pattern: '(a|aa)+$', unit: 'a', tail: '!' },
  { pattern: 'a*a*a*a*b', unit: 'a', tail: '' },
  { pattern: '(\\w+\\s?)*$', unit: 'word ', tail: '!' },
  { pattern: '^(([a-z])+.)+[A-Z]([a-z])+$', unit: 'ab', tail: '!' },
  { pattern: '\\d+\\d+\\d+\\d+x', unit: '1', tail: '' },
  { pattern: '.*.*.*=', unit: 'ab', tail: '' },
  { pattern: '\\w*\\d*\\w*\\d*!', unit: 'a1', tail: '' },
  { pattern: '(ab)*(ab)*(ab)*c', unit: 'ab', tail: '' },
  { pattern: '([\\d]+[a-z]*)+$', unit: '1a', tail: '!' },
  { pattern: '(\\s*\\w+\\s*)+=', unit: 'key ', tail: '' },
  { pattern: '(.*a){12}', unit: 'a', tail: '' },
  // The classic e-mail and URL checks (OWASP's ReDoS examples).
  { pattern: '^([a-zA-Z0-9])(([\\-.]|[_]+)?([a-zA-Z0-9]+))*(@){1}[a-z0-9]+[.]{1}(([a-z]{2,3})|([a-z]{2,3}[.]{1}[a-z]{2,3}))$', unit: 'a', tail: '!' },
  { pattern: '^(https?:\\/\\/)?([\\da-z.-]+)\\.([a-z.]{2,6})([\\/\\w .-]*)*\\/?$', unit: 'a/', tail: '!' },
  { pattern: 'ready (\\w+|\\w+ )* now', unit: 'go ', tail: '' },
];

/** Stand-ins for `a` that still match it: the mutated pattern still almost matches the shape's line. */
const FOR_A = ['[a-c]', '\\w', '.', '[^!]', '(?:a)', '[\\w]'];

/** One shape changed in one to three places: `a` for a class that holds it, `+` for `*` or `{1,}`, a wrapping group. */
export function mutateShape(p: Picker): RedosShape {
  const shape = p.pick(REDOS_SHAPES);
  let pattern = shape.pattern;
  for (let edits = 1 + p.int(3); edits > 0; edits--) {
    const what = p.int(3);
    if (what === 0) pattern = replaceOne(p, pattern, /(?<![\\[^-])a(?![-\]])/g, () => p.pick(FOR_A));
    else if (what === 1) pattern = replaceOne(p, pattern, /(?<!\\)\+/g, () => p.pick(['*', '{1,}', '+']));
    else pattern = pattern.startsWith('^') ? `^(?:${pattern.slice(1)})` : `(?:${pattern})`;
  }
  return { ...shape, pattern };
}

function replaceOne(p: Picker, text: string, where: RegExp, by: () => string): string {
  const spots = [...text.matchAll(where)].map((m) => m.index);
  if (spots.length === 0) return text;
  const at = p.pick(spots);
  return text.slice(0, at) + by() + text.slice(at + 1);
}

/** The line of `length` characters (about) that almost matches the shape. */
export function nearMiss(shape: RedosShape, length: number): string {
  return shape.unit.repeat(Math.ceil(length / shape.unit.length)) + shape.tail;
}

/** Short lines around the shape (the normal engine is fast on them): empty, near misses, and lines with the likely endings. */
export function shortLines(shape: RedosShape): string[] {
  const lines: string[] = [''];
  for (let n = 1; n * shape.unit.length <= 12; n++) {
    const body = shape.unit.repeat(n);
    for (const end of ['', shape.tail, 'b', 'x', '=', 'c', '!', '@ab.cd', '.com', 'Ab', ' now', 'ready ']) lines.push(body + end, end + body);
  }
  return [...new Set(lines)];
}

/** Whether one line makes a fresh ReadinessWatch on `pattern` report ready, as `up` runs each output line (a log pattern only: no timers). */
export function readinessMatches(pattern: string, line: string): boolean {
  let ready = false;
  const config = { http: null, logPattern: pattern, startTimeoutMs: 60_000, failureThreshold: 3, successThreshold: 1 };
  const watch = new ReadinessWatch(config, 1, { ready: () => (ready = true), startTimedOut: () => undefined, probed: () => undefined });
  watch.line(line);
  watch.stop();
  return ready;
}
