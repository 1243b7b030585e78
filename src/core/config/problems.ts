/**
 * Collecting config problems: where each one is (key path, line, or flag), what was
 * expected and what was given; and Section, a reader over one mapping of the file that
 * reports unknown keys and bad values instead of stopping at the first one.
 */
import { LbDevError } from '../errors.js';
import { suggest } from '../text/suggest.js';
import type { Check, Checked } from './checks.js';

interface Problem {
  /** Dotted key path (`groups.app.instances`) or flag (`--instances`). */
  where: string;
  line: number | undefined;
  fromFlag: boolean;
  message: string;
}

/** How a value reads in a message: strings quoted, structures named. */
export function describeValue(value: unknown): string {
  if (value === undefined || value === null) return 'nothing';
  // A long string is shown by its start: the message is about its key, not a copy of it.
  if (typeof value === 'string') return value.length > 200 ? `${JSON.stringify(value.slice(0, 60))}... (${value.length} characters)` : JSON.stringify(value);
  if (Array.isArray(value)) return value.length === 0 ? 'an empty list' : 'a list';
  if (typeof value === 'object') return Object.keys(value).length === 0 ? 'an empty mapping' : 'a mapping';
  return String(value);
}

function failureMessage(result: Checked<unknown> & { ok: false }, value: unknown): string {
  return `expected ${result.expected}, got ${describeValue(value)}${result.hint === undefined ? '' : ` (${result.hint})`}`;
}

export class Problems {
  private readonly list: Problem[] = [];

  constructor(
    private readonly positions?: (path: string[]) => number | undefined,
    /** Known key -> where it belongs, for keys written in the wrong section. */
    private readonly keyHomes: ReadonlyMap<string, string> = new Map(),
  ) {}

  get count(): number {
    return this.list.length;
  }

  at(path: string[], message: string): void {
    this.list.push({ where: path.join('.'), line: this.lineOf(path), fromFlag: false, message });
  }

  invalid(path: string[], result: Checked<unknown> & { ok: false }, value: unknown): void {
    this.at(path, failureMessage(result, value));
  }

  flag(flag: string, result: Checked<unknown> & { ok: false }, value: unknown): void {
    this.flagMessage(flag, failureMessage(result, value));
  }

  flagMessage(flag: string, message: string): void {
    this.list.push({ where: flag, line: undefined, fromFlag: true, message });
  }

  unknownKey(path: string[], known: readonly string[]): void {
    const key = path[path.length - 1]!;
    const close = suggest(key, known);
    const home = this.keyHomes.get(key);
    const advice =
      close !== undefined ? `did you mean \`${close}\`?` : home !== undefined ? `did you mean \`${home}\`?` : `expected one of ${known.join(', ')}`;
    this.at(path, `unknown key ${JSON.stringify(key)}; ${advice}`);
  }

  /** Flags first, then file problems in line order. `file` names the config file in the headline. */
  throwIfAny(file: string | null): void {
    if (this.list.length === 0) return;
    const sorted = [...this.list].sort((a, b) => rank(a) - rank(b));
    const details = sorted.map((p) => `${p.line === undefined ? '' : `line ${p.line}: `}${p.where === '' ? '' : `${p.where}: `}${p.message}`);
    const fromFile = sorted.some((p) => !p.fromFlag);
    const fromFlags = sorted.some((p) => p.fromFlag);
    const subject = fromFile && fromFlags ? `${file ?? 'the configuration'} and the flags` : fromFlags ? 'the flags' : (file ?? 'the configuration');
    const verb = fromFlags ? 'have' : 'has';
    const noun = sorted.length === 1 ? 'problem' : 'problems';
    throw new LbDevError('CONFIG_INVALID', `${subject} ${verb} ${sorted.length} ${noun}`, { details });
  }

  private lineOf(path: string[]): number | undefined {
    if (!this.positions) return undefined;
    // A missing key has no line: point at the nearest enclosing key that has one.
    for (let length = path.length; length > 0; length--) {
      const line = this.positions(path.slice(0, length));
      if (line !== undefined) return line;
    }
    return undefined;
  }
}

function rank(problem: Problem): number {
  if (problem.fromFlag) return -1;
  return problem.line ?? Number.MAX_SAFE_INTEGER;
}

function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** One mapping of the file (top level, `balancer:`, `groups.app.readiness:` ...). */
export class Section {
  private constructor(
    readonly problems: Problems,
    readonly path: string[],
    readonly raw: Record<string, unknown>,
  ) {}

  /** A mapping with these keys; null/absent = all defaults (e.g. every child commented out). */
  static open(problems: Problems, path: string[], value: unknown, known: readonly string[], expected: string): Section {
    if (value === undefined || value === null) return new Section(problems, path, {});
    if (!isMapping(value)) {
      problems.at(path, `expected ${expected}, got ${describeValue(value)}`);
      return new Section(problems, path, {});
    }
    for (const key of Object.keys(value)) {
      if (!known.includes(key)) problems.unknownKey([...path, key], known);
    }
    return new Section(problems, path, value);
  }

  static empty(problems: Problems, path: string[]): Section {
    return new Section(problems, path, {});
  }

  has(key: string): boolean {
    return this.raw[key] !== undefined;
  }

  read<T>(key: string, check: Check<T>, fallback: T): T {
    const value = this.raw[key];
    if (value === undefined) return fallback;
    const result = check(value);
    if (result.ok) return result.value;
    this.problems.invalid([...this.path, key], result, value);
    return fallback;
  }

  child(key: string, known: readonly string[], expected: string): Section {
    return Section.open(this.problems, [...this.path, key], this.raw[key], known, expected);
  }

  /** A mapping that `false` switches off (null result); `true` or absent = defaults. */
  optionalChild(key: string, known: readonly string[], expected: string): Section | null {
    const value = this.raw[key];
    if (value === false) return null;
    return Section.open(this.problems, [...this.path, key], value === true ? undefined : value, known, `${expected}, or false`);
  }

  readList<T>(key: string, itemCheck: Check<T>, fallback: T[]): T[] {
    const value = this.raw[key];
    if (value === undefined) return fallback;
    if (!Array.isArray(value)) {
      this.problems.at([...this.path, key], `expected a list, got ${describeValue(value)}`);
      return fallback;
    }
    const items: T[] = [];
    value.forEach((item, index) => {
      const result = itemCheck(item);
      if (result.ok) items.push(result.value);
      else this.problems.invalid([...this.path, key, String(index)], result, item);
    });
    return items;
  }

  /** A mapping of free-form names (env variables) to values; absent = empty. */
  readMap<T>(key: string, nameCheck: Check<string>, valueCheck: Check<T>, expected: string): Record<string, T> {
    const value = this.raw[key];
    if (value === undefined || value === null) return {};
    if (!isMapping(value)) {
      this.problems.at([...this.path, key], `expected ${expected}, got ${describeValue(value)}`);
      return {};
    }
    const out: Record<string, T> = {};
    for (const [name, item] of Object.entries(value)) {
      const at = [...this.path, key, name];
      const nameResult = nameCheck(name);
      const itemResult = valueCheck(item);
      if (!nameResult.ok) this.problems.invalid(at, nameResult, name);
      else if (!itemResult.ok) this.problems.invalid(at, itemResult, item);
      else out[name] = itemResult.value;
    }
    return out;
  }
}
