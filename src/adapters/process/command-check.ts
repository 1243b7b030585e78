/**
 * Best-effort check, before anything starts, that an instance command's program exists:
 * a shell would only say `sh: 1: yran: not found` and exit 127 on every restart.
 */
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, isAbsolute, join, resolve } from 'node:path';
import { LbDevError } from '../../core/errors.js';

/** Words a shell runs itself, and keywords after which we cannot tell what runs. */
const SHELL_WORDS = new Set([
  'cd',
  'exec',
  'export',
  'env',
  'set',
  'unset',
  '.',
  'source',
  'eval',
  'if',
  'for',
  'while',
  'case',
  '(',
  '{',
  'nice',
  'nohup',
  'time',
  'command',
  'builtin',
  'true',
  'false',
  'echo',
  'printf',
  'sleep',
  'trap',
  'test',
  '[',
]);

/** The program a command line starts with, skipping `VAR=value` assignments; null if it cannot be told. */
export function programOf(command: string): string | null {
  const words = command.trim().split(/\s+/);
  for (const word of words) {
    if (/^[A-Za-z_][A-Za-z0-9_]*=/.test(word)) continue;
    if (word === '' || /["'`$\\|;&<>()*?]/.test(word)) return null;
    return word;
  }
  return null;
}

function isExecutableFile(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

export function assertCommandExists(command: string, cwd: string, pathVariable: string | undefined, label: string): void {
  const program = programOf(command);
  if (program === null || SHELL_WORDS.has(program)) return;
  if (program.includes('/')) {
    const full = isAbsolute(program) ? program : resolve(cwd, program);
    if (isExecutableFile(full)) return;
    throw new LbDevError('COMMAND_NOT_FOUND', `${label}: \`${program}\` (from \`${command}\`) is not an executable file (looked at ${full})`);
  }
  const dirs = (pathVariable ?? '').split(delimiter).filter(Boolean);
  if (dirs.some((dir) => isExecutableFile(join(isAbsolute(dir) ? dir : resolve(cwd, dir), program)))) return;
  throw new LbDevError('COMMAND_NOT_FOUND', `${label}: \`${program}\` (from \`${command}\`) was not found on PATH`, {
    details: [`PATH searched: ${dirs.join(delimiter) || '(empty)'}`],
  });
}
