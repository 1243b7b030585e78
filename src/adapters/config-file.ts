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
      throw new LbDevError('CONFIG_NOT_FOUND', `expected a readable config file at ${file} (from --config ${opts.configPath}), got ${readFailure(error)}`, { cause: error });
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
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const [first, ...rest] = doc.errors.map((error) => {
      const { line, col } = lineCounter.linePos(error.pos[0]);
      return `${fileName}:${line}:${col}: ${firstLine(error.message)}`;
    });
    throw new LbDevError('CONFIG_PARSE', first!, { details: rest });
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 100 });
  } catch (error) {
    throw new LbDevError('CONFIG_PARSE', `${fileName}:1:1: ${(error as Error).message}`, { cause: error });
  }
  const lines = new Map<string, number>();
  collectKeyLines(doc.contents, [], lines, lineCounter);
  return { value, positions: (keyPath) => lines.get(pathKey(keyPath)) };
}

function collectKeyLines(node: unknown, at: string[], lines: Map<string, number>, counter: LineCounter): void {
  if (isMap(node)) {
    for (const pair of node.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
      const keyPath = [...at, key];
      const start = (pair.key as Node | null)?.range?.[0];
      if (start !== undefined) lines.set(pathKey(keyPath), counter.linePos(start).line);
      collectKeyLines(pair.value, keyPath, lines, counter);
    }
  } else if (isSeq(node)) {
    node.items.forEach((item, index) => {
      const keyPath = [...at, String(index)];
      const start = (item as Node | null)?.range?.[0];
      if (start !== undefined) lines.set(pathKey(keyPath), counter.linePos(start).line);
      collectKeyLines(item, keyPath, lines, counter);
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
