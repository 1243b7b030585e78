/**
 * The one place that turns an error into what the user reads and the process's exit code.
 */
import { CommanderError } from 'commander';
import { ERROR_CODES, LbDevError, isLbDevError } from '../core/errors.js';
import { dim, red } from '../core/text/colors.js';

export function formatError(error: LbDevError, color: boolean): string {
  const lines = [`${red('lb-dev: error', color)} ${error.message} ${dim(`[${error.code}]`, color)}`];
  for (const detail of error.details) lines.push(`  - ${detail}`);
  lines.push(`  fix: ${error.fix}`);
  return `${lines.join('\n')}\n`;
}

/**
 * Any thrown value as an LbDevError: commander's usage errors (unknown command or option,
 * missing argument) are USAGE; unknown ones are bugs: INTERNAL, with the stack in details.
 */
export function asLbDevError(error: unknown): LbDevError {
  if (isLbDevError(error)) return error;
  if (error instanceof CommanderError) return usageError(error);
  const e = error instanceof Error ? error : new Error(String(error));
  return new LbDevError('INTERNAL', e.message, {
    details: (e.stack ?? '')
      .split('\n')
      .slice(1, 6)
      .map((l) => l.trim()),
    cause: e,
  });
}

export function exitCodeOf(error: LbDevError): number {
  return ERROR_CODES[error.code].exitCode;
}

/** `error: unknown command 'stauts'\n(Did you mean status?)` -> the message, and the suggestion as a detail. */
function usageError(error: CommanderError): LbDevError {
  const [first = '', ...rest] = error.message.replace(/^error: /, '').split('\n');
  const details = rest.map((line) => line.replace(/^\((.*)\)$/, '$1')).filter(Boolean);
  return new LbDevError('USAGE', first, { details, cause: error });
}
