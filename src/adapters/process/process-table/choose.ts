/**
 * The process table of this lb-dev process, chosen once, at its first use: /proc when it is
 * readable (Linux), else the portable one (ps + lsof: macOS). LB_DEV_PROCESS_TABLE=proc or
 * portable forces one (tests run the portable table on Linux; a user can work around either).
 * The lifeline's reaper, a process of its own, inherits the variable and so chooses the same.
 */
import { existsSync } from 'node:fs';
import { LbDevError } from '../../../core/errors.js';
import { procTable } from './proc-table.js';
import type { ProcessTable, ProcessTableKind } from './process-table.js';
import { psTable } from './ps-table.js';

export const PROCESS_TABLE_VARIABLE = 'LB_DEV_PROCESS_TABLE';

/** Which table: the forced one (a value of LB_DEV_PROCESS_TABLE), else by whether /proc can be read. */
export function chooseProcessTableKind(forced: string | undefined, procReadable: boolean): ProcessTableKind {
  if (forced === undefined || forced === '') return procReadable ? 'proc' : 'portable';
  if (forced === 'proc' || forced === 'portable') return forced;
  throw new LbDevError('CONFIG_INVALID', `expected ${PROCESS_TABLE_VARIABLE} to be proc or portable (or unset), got ${JSON.stringify(forced)}`);
}

export function createProcessTable(kind: ProcessTableKind): ProcessTable {
  return kind === 'proc' ? procTable() : psTable();
}

let chosen: ProcessTable | undefined;

export function processTable(): ProcessTable {
  chosen ??= createProcessTable(chooseProcessTableKind(process.env[PROCESS_TABLE_VARIABLE], existsSync('/proc/self/stat')));
  return chosen;
}
