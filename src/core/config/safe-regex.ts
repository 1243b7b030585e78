/**
 * A small check against regular expressions that take exponential time on a line that almost
 * matches in a backtracking engine (catastrophic backtracking). What keeps a line from hanging
 * lb-dev is the linear engine every user pattern runs on (text/user-pattern.ts); this check stays
 * a refusal, as it was before that engine (no config that worked breaks), because such a pattern
 * is a mistake that is exponential wherever else it is used, and a second line should the engine
 * be off. Adjacent repetitions (`a*a*a*a*b`: polynomial, not exponential) are not its concern:
 * adjacent-repetition.ts warns about them.
 *
 * The rule (documented in docs/configuration.md): a repeated group - `(...)*`, `(...)+`,
 * `(...){2,}` - may contain no repetition of its own (`(a+)+`, `(a*)*`, `(\d+x)*`), and its
 * alternatives must each start with a different plain character (`(a|a)*` and `(\d|x)+` are
 * refused, `(GET|POST)+` is fine). It refuses some harmless patterns to stay simple and sure.
 */

/** The repeated group that breaks the rule, as written, or undefined; adjacent repetitions (`a*a*`) pass. */
export function catastrophicPart(pattern: string): string | undefined {
  return new Scanner(pattern).scanSequence(0)?.unsafe;
}

interface GroupSummary {
  /** Whether anything inside is repeated. */
  repeats: boolean;
  /** First atom of each alternative ('' when the alternative is empty). */
  starts: string[];
  unsafe?: string;
}

class Scanner {
  private i = 0;

  constructor(private readonly source: string) {}

  /** Reads alternatives until `)` or the end. */
  scanSequence(depth: number): GroupSummary {
    const summary: GroupSummary = { repeats: false, starts: [] };
    let atStart = true;
    while (this.i < this.source.length) {
      const char = this.source[this.i]!;
      if (char === ')' && depth > 0) break;
      if (char === '|') {
        this.i++;
        if (atStart) summary.starts.push('');
        atStart = true;
        continue;
      }
      const begin = this.i;
      const atom = this.readAtom(depth);
      if (atom.inner?.unsafe !== undefined) summary.unsafe ??= atom.inner.unsafe;
      if (atStart) summary.starts.push(atom.text);
      atStart = false;
      const quantifier = this.readQuantifier();
      if (quantifier === 'none') {
        if (atom.inner?.repeats) summary.repeats = true;
        continue;
      }
      summary.repeats = true;
      if (quantifier === 'many' && atom.inner !== undefined && summary.unsafe === undefined && !safeToRepeat(atom.inner)) {
        summary.unsafe = this.source.slice(begin, this.i);
      }
    }
    if (atStart) summary.starts.push('');
    return summary;
  }

  /** One atom: an escape, a class, a group or a single character. `inner` is set for groups. */
  private readAtom(depth: number): { text: string; inner?: GroupSummary } {
    const begin = this.i;
    const char = this.source[this.i]!;
    if (char === '\\') {
      this.i += 2;
    } else if (char === '[') {
      this.i++;
      if (this.source[this.i] === '^') this.i++;
      if (this.source[this.i] === ']') this.i++;
      while (this.i < this.source.length && this.source[this.i] !== ']') this.i += this.source[this.i] === '\\' ? 2 : 1;
      this.i++;
    } else if (char === '(') {
      this.i++;
      // (?:...), (?=...), (?!...), (?<=...), (?<!...), (?<name>...)
      const prefix = /^\?(?::|=|!|<=|<!|<[A-Za-z_$][\w$]*>)/.exec(this.source.slice(this.i));
      if (prefix) this.i += prefix[0].length;
      const inner = this.scanSequence(depth + 1);
      this.i++;
      return { text: this.source.slice(begin, this.i), inner };
    } else {
      this.i++;
    }
    return { text: this.source.slice(begin, this.i) };
  }

  /** `many` = may match more than once (`*`, `+`, `{2,}`, `{1,5}`); `optional` = at most once (`?`, `{0,1}`, `{1}`). */
  private readQuantifier(): 'none' | 'optional' | 'many' {
    const rest = this.source.slice(this.i);
    const match = /^(?:([*+?])|\{(\d+)(,(\d*))?\})\??/.exec(rest);
    if (!match) return 'none';
    this.i += match[0].length;
    if (match[1] === '*' || match[1] === '+') return 'many';
    if (match[1] === '?') return 'optional';
    const max = match[3] === undefined ? Number(match[2]) : match[4] === '' ? Infinity : Number(match[4]);
    return max > 1 ? 'many' : 'optional';
  }
}

/** A group may repeat when nothing inside repeats and its alternatives start with different plain characters. */
function safeToRepeat(group: GroupSummary): boolean {
  if (group.repeats) return false;
  if (group.starts.length < 2) return true;
  const plain = group.starts.every((start) => start.length === 1 && !'.[('.includes(start));
  return plain && new Set(group.starts).size === group.starts.length;
}
