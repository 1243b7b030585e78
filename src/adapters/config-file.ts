/**
 * Finds and reads the config file (--config, or lb-dev.config.yaml in the working
 * directory), parses the YAML keeping each key's line, and resolves it with the flags.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { LineCounter, isMap, isScalar, isSeq, parseDocument, type Node } from 'yaml';
import { LbDevError } from '../core/errors.js';
import { displayPath } from '../core/config/display-path.js';
import { CONFIG_FILE_NAME, resolveConfig } from '../core/config/schema.js';
import type { ConfigOverrides, LbDevConfig } from '../core/config/types.js';
// The config's patterns are checked on the linear engine: it must be on before they are read.
import './linear-regexp-engine.js';

export interface LoadConfigOptions {
  /** --config: this file must exist. */
  configPath?: string;
  cwd: string;
  overrides: ConfigOverrides;
  demoCommand: string;
}

export async function loadConfig(opts: LoadConfigOptions): Promise<LbDevConfig> {
  const found = await readConfigFile(opts);
  if (found === null) {
    return resolveConfig(undefined, { source: null, overrides: opts.overrides, cwd: opts.cwd, demoCommand: opts.demoCommand });
  }
  const parsed = parseConfigText(found.text, displayPath(found.file, opts.cwd));
  return resolveConfig(parsed.value, {
    source: found.file,
    positions: parsed.positions,
    overrides: opts.overrides,
    cwd: opts.cwd,
    demoCommand: opts.demoCommand,
  });
}

async function readConfigFile(opts: LoadConfigOptions): Promise<{ file: string; text: string } | null> {
  if (opts.configPath !== undefined) {
    const file = path.resolve(opts.cwd, opts.configPath);
    try {
      return { file, text: await readFile(file, 'utf8') };
    } catch (error) {
      throw new LbDevError('CONFIG_NOT_FOUND', `expected a readable config file at ${file} (from --config ${opts.configPath}), got ${readFailure(error)}`, {
        cause: error,
      });
    }
  }
  const file = path.join(opts.cwd, CONFIG_FILE_NAME);
  try {
    return { file, text: await readFile(file, 'utf8') };
  } catch (error) {
    // No file in the working directory is normal: defaults and flags apply.
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new LbDevError('CONFIG_NOT_FOUND', `expected a readable config file at ${file}, got ${readFailure(error)}`, { cause: error });
  }
}

function readFailure(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EISDIR') return 'a directory';
  if (code === 'EACCES') return 'permission denied';
  return (error as Error).message;
}

export interface ParsedConfig {
  /** Plain JS value of the document; null for an empty file. */
  value: unknown;
  /** 1-based line of the key (or list item) at this path. */
  positions: (keyPath: string[]) => number | undefined;
}

/** YAML text -> value + key lines. A syntax error -> CONFIG_PARSE `<file>:<line>:<col>: <reason>`. */
export function parseConfigText(text: string, fileName: string): ParsedConfig {
  const lineCounter = new LineCounter();
  // uniqueKeys: false - the yaml library compares each key with every earlier one (quadratic:
  // 50,000 keys took half a minute); collectKeys finds repeated keys with one Set per mapping.
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: false });
  const lines = new Map<string, number>();
  const duplicates: number[] = [];
  collectKeys(doc.contents, [], { lines, duplicates, counter: lineCounter });
  const errors = [
    ...doc.errors.map((error) => ({ pos: error.pos[0], message: firstLine(error.message) })),
    ...duplicates.map((pos) => ({ pos, message: 'Map keys must be unique' })),
  ].sort((a, b) => a.pos - b.pos);
  if (errors.length > 0) {
    const [first, ...rest] = errors.map(({ pos, message }) => {
      const { line, col } = lineCounter.linePos(pos);
      return `${fileName}:${line}:${col}: ${message}`;
    });
    throw new LbDevError('CONFIG_PARSE', first!, { details: rest });
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 100 });
  } catch (error) {
    throw new LbDevError('CONFIG_PARSE', `${fileName}:1:1: ${(error as Error).message}`, { cause: error });
  }
  return { value, positions: (keyPath) => lines.get(pathKey(keyPath)) };
}

interface KeyScan {
  /** Path (joined by pathKey) -> 1-based line of its key or list item. */
  lines: Map<string, number>;
  /** Offsets of keys that repeat an earlier key of the same mapping. */
  duplicates: number[];
  counter: LineCounter;
}

function collectKeys(node: unknown, at: string[], scan: KeyScan): void {
  if (isMap(node)) {
    const seen = new Set<unknown>();
    for (const pair of node.items) {
      const name = isScalar(pair.key) ? pair.key.value : pair.key;
      const key = String(name);
      const start = (pair.key as Node | null)?.range?.[0];
      // Scalars compare by value, as the yaml library does (`1` and `"1"` differ); other keys by identity.
      if (seen.has(name) && start !== undefined) scan.duplicates.push(start);
      seen.add(name);
      const keyPath = [...at, key];
      if (start !== undefined) scan.lines.set(pathKey(keyPath), scan.counter.linePos(start).line);
      collectKeys(pair.value, keyPath, scan);
    }
  } else if (isSeq(node)) {
    node.items.forEach((item, index) => {
      const keyPath = [...at, String(index)];
      const start = (item as Node | null)?.range?.[0];
      if (start !== undefined) scan.lines.set(pathKey(keyPath), scan.counter.linePos(start).line);
      collectKeys(item, keyPath, scan);
    });
  }
}

/** Joins path parts with NUL, which config keys never contain. */
function pathKey(keyPath: string[]): string {
  return keyPath.join('\u0000');
}

function firstLine(message: string): string {
  return message.split('\n')[0]!.trim();
}
