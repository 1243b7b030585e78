/**
 * The building blocks of the key table (keys.ts): a key knows its default as written in the
 * file, how to read and check it, how to print it back, and what it means. Resolved types,
 * defaults, readers, `lb-dev config` output and the documented key list all come from it.
 */
import { formatDuration } from '../text/duration.js';
import { formatSize } from '../text/size.js';
import { duration as durationCheck, size as sizeCheck, type Check } from './checks.js';
import type { Section } from './problems.js';

/** One key holding a value (scalar, list or free-form mapping). */
export interface Leaf<T, As extends string | null = string | null> {
  readonly kind: 'leaf';
  /** The resolved field's name when it differs from the file's (`interval` -> `intervalMs`). */
  readonly as: As;
  /** The default as written in the file (`'500ms'`, `'10MB'`, `3`). */
  readonly default: unknown;
  /** The default resolved (`500`); checked once when the table is built. */
  readonly fallback: T;
  /** What the key means: the docs' Meaning column and the example file's comment. */
  readonly doc: string;
  /**
   * Writing the key at all, even to its default, changes what lb-dev does (a taken default port
   * gives way to a free one only when the key is not written): config.explicit records it, and the
   * example file shows the key commented out, so that copying the file whole changes nothing.
   */
  readonly writtenMeansFixed: boolean;
  read(section: Section, key: string): T;
  /** The resolved value in the file's shape, for `lb-dev config`. */
  show(value: T): unknown;
}

/** A mapping of keys; `optional` ones take `false` for "off" (resolved: null). */
export interface Group<F extends Fields = Fields, Optional extends boolean = boolean> {
  readonly kind: 'group';
  readonly as: null;
  readonly optional: Optional;
  /** What the mapping is, for "expected <this>, got ..." (`a mapping of retry settings`). */
  readonly expected: string;
  readonly doc: string;
  readonly fields: F;
}

// `any`: show() takes each leaf's own value type, which a union of Leaf<unknown> would not accept.
// biome-ignore lint/suspicious/noExplicitAny: as said above, each leaf's own value type.
export type Field = Leaf<any> | Group;
export type Fields = { readonly [key: string]: Field };

type ResolvedField<X> =
  X extends Leaf<infer T, string | null> ? T : X extends Group<infer F, infer Optional> ? Resolved<F> | (Optional extends true ? null : never) : never;

/** The resolved shape of a table: renamed keys, durations in ms, switched-off groups null. */
export type Resolved<F extends Fields> = {
  -readonly [K in keyof F as F[K]['as'] extends string ? F[K]['as'] : K]: ResolvedField<F[K]>;
};

interface LeafOptions<As extends string | null> {
  default: unknown;
  doc: string;
  as?: As;
  writtenMeansFixed?: boolean;
}

/** Defaults are written in the file's form; one that does not pass its own check is a bug in the table. */
function checkedDefault<T>(check: Check<T>, value: unknown, doc: string): T {
  const result = check(value);
  if (!result.ok) throw new Error(`invalid default ${JSON.stringify(value)} for "${doc}": expected ${result.expected}`);
  return result.value;
}

export function value<T, As extends string | null = null>(check: Check<T>, opts: LeafOptions<As> & { show?: (value: T) => unknown }): Leaf<T, NoInfer<As>> {
  const fallback = checkedDefault(check, opts.default, opts.doc);
  return {
    kind: 'leaf',
    as: (opts.as ?? null) as As,
    default: opts.default,
    fallback,
    doc: opts.doc,
    writtenMeansFixed: opts.writtenMeansFixed ?? false,
    read: (section, key) => section.read(key, check, fallback),
    show: opts.show ?? ((v) => v),
  };
}

/** A duration; `min` in ms. Resolved in milliseconds, printed in its shortest form. */
export function duration<As extends string | null = null>(min: number, opts: LeafOptions<As>): Leaf<number, NoInfer<As>> {
  return value(durationCheck(min), { ...opts, show: formatDuration });
}

/** A byte size; `min` in bytes. */
export function size<As extends string | null = null>(min: number, opts: LeafOptions<As>): Leaf<number, NoInfer<As>> {
  return value(sizeCheck(min), { ...opts, show: formatSize });
}

/** A list whose items are checked one by one (a bad item is reported at its index). */
export function list<T>(item: Check<T>, opts: LeafOptions<null> & { default: unknown[] }): Leaf<T[], null> {
  const fallback = opts.default.map((entry) => checkedDefault(item, entry, opts.doc));
  return {
    kind: 'leaf',
    as: null,
    default: opts.default,
    fallback,
    doc: opts.doc,
    writtenMeansFixed: false,
    read: (section, key) => section.readList(key, item, [...fallback]),
    show: (items) => [...items],
  };
}

/** A mapping of free-form names (environment variables) to values; empty by default. */
export function mapping<T>(name: Check<string>, item: Check<T>, opts: { doc: string; expected: string }): Leaf<Record<string, T>, null> {
  return {
    kind: 'leaf',
    as: null,
    default: {},
    fallback: {},
    doc: opts.doc,
    writtenMeansFixed: false,
    read: (section, key) => section.readMap(key, name, item, opts.expected),
    show: (entries) => ({ ...entries }),
  };
}

export function group<F extends Fields, Optional extends boolean = false>(
  fields: F,
  opts: { expected: string; doc: string; optional?: Optional },
): Group<F, Optional> {
  return { kind: 'group', as: null, optional: (opts.optional ?? false) as Optional, expected: opts.expected, doc: opts.doc, fields };
}

/** Reads every key of a table from a section of the file, reporting problems on the way. */
export function readFields<F extends Fields>(section: Section, fields: F): Resolved<F> {
  const out: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(fields)) {
    const name = field.as ?? key;
    if (field.kind === 'leaf') {
      out[name] = field.read(section, key);
    } else if (field.optional) {
      const child = section.optionalChild(key, Object.keys(field.fields), field.expected);
      out[name] = child && readFields(child, field.fields);
    } else {
      out[name] = readFields(section.child(key, Object.keys(field.fields), field.expected), field.fields);
    }
  }
  return out as Resolved<F>;
}

/** A resolved value back in the file's shape; a switched-off group prints as `false`. */
export function showFields(fields: Fields, resolved: object): Record<string, unknown> {
  const values = resolved as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(fields)) {
    const current = values[field.as ?? key];
    if (field.kind === 'leaf') out[key] = field.show(current);
    else out[key] = current === null ? false : showFields(field.fields, current as object);
  }
  return out;
}

/** Every key with its default, as written in the file. */
export function fileDefaults(fields: Fields): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(fields).map(([key, field]) => [key, field.kind === 'leaf' ? structuredClone(field.default) : fileDefaults(field.fields)]),
  );
}
