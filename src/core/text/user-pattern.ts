/**
 * The one place a pattern a user gave lb-dev (readiness.logPattern, restartOn.logPattern) becomes
 * a RegExp. It runs on every output line, so it is compiled for V8's linear-time engine (the `l`
 * flag, turned on by adapters/linear-regexp-engine.ts): no line can make it backtrack, as
 * `a*a*a*a*b` on a 5,000-character line once froze `up`. Pure: it only builds RegExps.
 *
 * What that engine cannot run it refuses when built (a SyntaxError; checked on Node 20 and 22,
 * V8 11.3 and 12.4): backreferences (`\1`, `\k<name>`), lookahead (`(?=`, `(?!`), lookbehind
 * (Node 20; Node 22 runs most, refused here all the same so that a config means the same on
 * both), counted repetition beyond 16 copies (`a{17}`, `(a{4}){5}`), and the flags `i`, `u`, `v`
 * and `d` (user patterns take no flags; `m`, `s`, `g` and `y` would combine with `l`).
 */
import { LbDevError } from '../errors.js';

const LINEAR_FLAG = 'l';
/** The most a counted body may be repeated, nested counts multiplied: V8's cap (kMaxReplicationFactor). */
export const MAX_COUNT = 16;

export const SYNTAX_EXPECTED = 'a regular expression like `listening on port \\d+`';
export const LINEAR_EXPECTED = `a regular expression lb-dev can match in linear time: no backreferences, lookahead or lookbehind, counts of at most ${MAX_COUNT}`;
const WHY = 'lb-dev matches patterns in linear time so that no output line can hang it; see docs/configuration.md';

export interface PatternRefusal {
  expected: string;
  /** What is wrong (the part, named) and what to do. */
  hint: string;
}

/**
 * Why `source` cannot be a user pattern, or undefined when it can. The scan (unsupportedPart)
 * needs no engine, so the core's config checks and their tests run without it; when the engine
 * is on (in lb-dev always: the config loader imports the adapter) V8's own verdict is asked too,
 * for anything a later V8 refuses that the scan does not know.
 */
export function patternRefusal(source: string): PatternRefusal | undefined {
  try {
    new RegExp(source);
  } catch (error) {
    return { expected: SYNTAX_EXPECTED, hint: (error as Error).message };
  }
  const part = unsupportedPart(source);
  if (part !== undefined) return { expected: LINEAR_EXPECTED, hint: `${part}; ${WHY}` };
  if (linearEngineOn() && !runsOnLinearEngine(source)) return { expected: LINEAR_EXPECTED, hint: `V8's linear engine cannot run it; ${WHY}` };
  return undefined;
}

/** The RegExp that matches one output line at a time; CONFIG_INVALID for what patternRefusal refuses, INTERNAL with the engine off. */
export function compileUserPattern(source: string): RegExp {
  if (!linearEngineOn()) throw engineOff();
  const refusal = patternRefusal(source);
  if (refusal !== undefined) {
    throw new LbDevError('CONFIG_INVALID', `expected ${refusal.expected}, got ${JSON.stringify(source)} (${refusal.hint})`);
  }
  return new RegExp(source, LINEAR_FLAG);
}

function runsOnLinearEngine(source: string): boolean {
  try {
    new RegExp(source, LINEAR_FLAG);
    return true;
  } catch {
    return false;
  }
}

function linearEngineOn(): boolean {
  try {
    new RegExp('', LINEAR_FLAG);
    return true;
  } catch {
    return false;
  }
}

function engineOff(): LbDevError {
  return new LbDevError(
    'INTERNAL',
    "V8's linear RegExp engine is off: src/adapters/linear-regexp-engine.ts was not imported before a user pattern was compiled, or this Node.js has no --enable-experimental-regexp-engine",
  );
}

/**
 * The first part the linear engine cannot run (or lb-dev refuses for the same reason), named
 * with what to do, or undefined. Reads escapes and classes so that `\(?=` or `[(?=]` are text.
 */
export function unsupportedPart(source: string): string | undefined {
  return scanRange(source, 0, source.length, 1, captureGroups(source));
}

/**
 * One range of the pattern, inside groups whose counts multiply to `factor`. The engine copies a
 * counted body once per count, so V8 caps the product at 16 (`*` and `?` weigh 1; Node 20 weighs
 * `+` 2 and `{n,}` n+1, Node 22 less: the larger is taken).
 */
function scanRange(source: string, from: number, to: number, factor: number, groups: CaptureGroups): string | undefined {
  let i = from;
  while (i < to) {
    const begin = i;
    const char = source[i]!;
    let inner: [number, number] | undefined;
    if (char === '[') i = classEnd(source, i) + 1;
    else if (char === '\\') {
      const backreference = backreferenceAt(source, i, groups);
      if (backreference !== undefined) return `\`${backreference}\` is a backreference: match the text itself, or leave it out`;
      i += 2;
    } else if (char === '(') {
      const look = /^\(\?(=|!|<=|<!)/.exec(source.slice(i))?.[1];
      const end = groupEnd(source, i);
      if (look !== undefined) {
        const kind = look.startsWith('<') ? 'lookbehind' : 'lookahead';
        return `\`${source.slice(i, end)}\` is a ${kind}: match the text itself (\`ready(?= on)\` -> \`ready on\`)`;
      }
      const prefix = /^\((?:\?:|\?<[^>]*>)?/.exec(source.slice(i))![0].length;
      inner = [i + prefix, end - 1];
      i = end;
    } else i++;
    const quantifier = /^(?:[*+?]|\{(\d+)(?:(,)(\d*))?\})\??/.exec(source.slice(i));
    let weight = 1;
    if (quantifier) {
      i += quantifier[0].length;
      weight = quantifierWeight(quantifier);
      if (factor * weight > MAX_COUNT) {
        const part = source.slice(begin, i);
        return factor === 1
          ? `\`${part}\` counts more than ${MAX_COUNT}: write + or * (\`[0-9a-f]{40}\` -> \`[0-9a-f]+\`), or a smaller count`
          : `\`${part}\` inside other counts repeats its body more than ${MAX_COUNT} times in all (nested counts multiply): write + or *, or smaller counts`;
      }
    }
    if (inner !== undefined) {
      const found = scanRange(source, inner[0], inner[1], factor * weight, groups);
      if (found !== undefined) return found;
    }
  }
  return undefined;
}

function quantifierWeight(quantifier: RegExpExecArray): number {
  const [text, min, comma, max] = quantifier;
  if (text.startsWith('+')) return 2;
  if (min === undefined) return 1;
  if (comma === undefined) return Number(min);
  return max === '' ? Number(min) + 1 : Number(max);
}

/** `\\3` (when there are three groups) or `\\k<name>` (when a group is named) at `i`; otherwise an escape. */
function backreferenceAt(source: string, i: number, groups: CaptureGroups): string | undefined {
  const number = /^\\([1-9]\d*)/.exec(source.slice(i));
  if (number && Number(number[1]) <= groups.numbered) return number[0];
  const named = /^\\k<[^>]*>/.exec(source.slice(i));
  return named && groups.named ? named[0] : undefined;
}

interface CaptureGroups {
  numbered: number;
  named: boolean;
}

/** How many numbered groups `(...)` / `(?<name>...)` the pattern has, and whether any is named. */
function captureGroups(source: string): CaptureGroups {
  let numbered = 0;
  let named = false;
  for (let i = 0; i < source.length; i++) {
    const char = source[i]!;
    if (char === '[') i = classEnd(source, i);
    else if (char === '\\') i++;
    else if (char === '(' && source[i + 1] !== '?') numbered++;
    else if (char === '(' && /^\(\?<[^=!]/.test(source.slice(i))) {
      numbered++;
      named = true;
    }
  }
  return { numbered, named };
}

/** The index of the `]` closing the class that opens at `i` (JavaScript: the first unescaped one). */
function classEnd(source: string, i: number): number {
  let j = i + 1;
  while (j < source.length && source[j] !== ']') j += source[j] === '\\' ? 2 : 1;
  return j;
}

/** The index just past the `)` closing the group that opens at `i`. */
function groupEnd(source: string, i: number): number {
  let depth = 0;
  for (let j = i; j < source.length; j++) {
    const char = source[j]!;
    if (char === '[') j = classEnd(source, j);
    else if (char === '\\') j++;
    else if (char === '(') depth++;
    else if (char === ')' && --depth === 0) return j + 1;
  }
  return source.length;
}
