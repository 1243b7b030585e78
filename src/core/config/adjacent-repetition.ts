/**
 * A warning, not a refusal: repetitions next to each other that can match the same characters
 * (`a*a*`, `\d+\d+`, `.*.*`, `\w*\d*`, `(ab)*(ab)*`, also across something that may be empty:
 * `\w+\s?\w+`). Each character can go to either one, so a backtracking engine tries every split
 * of a line that almost matches: polynomial time, `a*a*a*a*b` froze `up` on a 5,000-character
 * line. lb-dev's own engine is linear (text/user-pattern.ts), so here they only cost a warning
 * that names the part: the pattern says one thing twice, and it is slow wherever else it is used.
 * Pure; reads the pattern as safe-regex.ts does (escapes, classes, groups, quantifiers).
 */

interface Item {
  begin: number;
  end: number;
  /** Whether it may match more than one character's worth (`*`, `+`, `{2,}`, `{1,3}`). */
  many: boolean;
  /** Whether it may match nothing (`?`, `*`, `{0,n}`). */
  mayBeEmpty: boolean;
  /** The single-character atoms it is made of; empty for an assertion (`^`, `\b`, a lookaround). */
  atoms: string[];
  /** A group's alternatives, each a sequence of its own. */
  alternatives?: Item[][];
}

/** The first run of adjacent repetitions that overlap, as written (`a*a*a*a*`), or undefined. */
export function adjacentRepetition(pattern: string): string | undefined {
  return findIn(new Reader(pattern).alternatives(), pattern, overlapIn(pattern));
}

function findIn(alternatives: Item[][], pattern: string, overlap: (a: Item, b: Item) => boolean): string | undefined {
  for (const sequence of alternatives) {
    for (let i = 0; i < sequence.length; i++) {
      const first = sequence[i]!;
      let last = i;
      for (let j = i + 1; first.many && first.atoms.length > 0 && j < sequence.length; j++) {
        const next = sequence[j]!;
        if (next.atoms.length === 0) break;
        if (next.many && overlap(first, next)) last = j;
        else if (!next.mayBeEmpty) break;
      }
      if (last > i) return pattern.slice(first.begin, sequence[last]!.end);
      const inner = first.alternatives && findIn(first.alternatives, pattern, overlap);
      if (inner) return inner;
    }
  }
  return undefined;
}

/** Characters to try: ASCII, a few others (spaces, letters, symbols), and every one in the pattern. */
function overlapIn(pattern: string): (a: Item, b: Item) => boolean {
  const sample = new Set<string>(pattern);
  for (let code = 0; code < 128; code++) sample.add(String.fromCharCode(code));
  for (const char of '\u00a0\u2028é\u0416\u4e2d\u{1F680}') sample.add(char);
  const tests = new Map<string, RegExp>();
  const matches = (atom: string, char: string) => {
    let test = tests.get(atom);
    if (!test) {
      try {
        test = new RegExp(`^(?:${atom})$`);
      } catch {
        test = /$^/; // (an atom this reader cut wrongly matches nothing: no warning rather than a wrong one)
      }
      tests.set(atom, test);
    }
    return test.test(char);
  };
  return (a, b) => [...sample].some((char) => a.atoms.some((x) => matches(x, char)) && b.atoms.some((y) => matches(y, char)));
}

class Reader {
  private i = 0;

  constructor(private readonly source: string) {}

  /** Alternatives until `)` or the end. */
  alternatives(): Item[][] {
    const all: Item[][] = [[]];
    while (this.i < this.source.length && this.source[this.i] !== ')') {
      if (this.source[this.i] === '|') {
        this.i++;
        all.push([]);
      } else all[all.length - 1]!.push(this.item());
    }
    return all;
  }

  private item(): Item {
    const begin = this.i;
    const char = this.source[this.i]!;
    let atoms: string[] = [];
    let alternatives: Item[][] | undefined;
    if (char === '(') {
      const prefix = /^\(\?(?::|=|!|<=|<!|<[A-Za-z_$][\w$]*>)?/.exec(this.source.slice(this.i))?.[0] ?? '(';
      const lookaround = /^\(\?<?[=!]/.test(prefix);
      this.i += prefix.length;
      const inner = this.alternatives();
      this.i++;
      if (!lookaround) {
        alternatives = inner;
        atoms = inner.flat().flatMap((item) => item.atoms);
      }
    } else if (char === '[') {
      let j = this.i + 1;
      while (j < this.source.length && this.source[j] !== ']') j += this.source[j] === '\\' ? 2 : 1;
      this.i = j + 1;
      atoms = [this.source.slice(begin, this.i)];
    } else if (char === '\\') {
      this.i += 2;
      const escaped = this.source.slice(begin, this.i);
      if (!/^\\[bB\d]$/.test(escaped) && escaped !== '\\k') atoms = [this.readEscapeTail(escaped)];
    } else {
      this.i++;
      if (char !== '^' && char !== '$') atoms = [char];
    }
    const [many, mayBeEmpty] = this.quantifier();
    return { begin, end: this.i, many, mayBeEmpty, atoms, ...(alternatives ? { alternatives } : {}) };
  }

  /** `\x41`, `\u0041`, `\u{1F680}`, `\cA`: the rest of a longer escape. */
  private readEscapeTail(escaped: string): string {
    const tails: Record<string, RegExp> = { x: /^[\da-fA-F]{2}/, u: /^(?:[\da-fA-F]{4}|\{[\da-fA-F]+\})/, c: /^[A-Za-z]/ };
    const tail = tails[escaped[1]!]?.exec(this.source.slice(this.i))?.[0];
    if (tail === undefined) return escaped;
    this.i += tail.length;
    return escaped + tail;
  }

  private quantifier(): [many: boolean, mayBeEmpty: boolean] {
    const match = /^(?:([*+?])|\{(\d+)(?:(,)(\d*))?\})\??/.exec(this.source.slice(this.i));
    if (!match) return [false, false];
    this.i += match[0].length;
    const [, symbol, min, comma, max] = match;
    if (symbol !== undefined) return [symbol !== '?', symbol !== '+'];
    const most = comma === undefined ? Number(min) : max === '' ? Infinity : Number(max);
    return [most > 1, Number(min) === 0];
  }
}

/** The log patterns of one group, where they are written (`groups.app` or the top level). */
interface PatternsOf {
  at: readonly string[];
  readiness: { logPattern: string | null };
  restartOn: { logPattern: string | null };
}

/** One notice per log pattern with adjacent repetitions, with its key (and line when known), for `up` and `lb-dev config`. */
export function adjacentRepetitionNotices(groups: readonly PatternsOf[], lineOf?: (path: string[]) => number | undefined): string[] {
  const notices: string[] = [];
  for (const group of groups) {
    for (const [section, pattern] of [
      ['readiness', group.readiness.logPattern],
      ['restartOn', group.restartOn.logPattern],
    ] as const) {
      const part = pattern === null ? undefined : adjacentRepetition(pattern);
      if (part === undefined) continue;
      const path = [...group.at, section, 'logPattern'];
      const line = lineOf?.(path);
      notices.push(
        `${line === undefined ? '' : `line ${line}: `}${path.join('.')}: \`${part}\`: adjacent repetitions that match the same characters; ` +
          "harmless here (lb-dev's engine is linear) but slow in a backtracking one, and one repetition says the same (`\\d+\\d+` -> `\\d{2,}`)",
      );
    }
  }
  return notices;
}
