/**
 * The portable process table: `ps` for the rows and environments, `lsof` for listening
 * sockets, both POSIX-ish tools that macOS and Linux have (lsof is a package of its own on
 * Debian). Every call goes through a ToolRunner (lb-dev's runTool). A tool that
 * is missing makes the answers null ("cannot tell"), never an error: the callers fall back.
 */
import type { ProcessRow } from '../../../core/process-tree.js';
import { type ToolRunner, runTool } from '../run-tool.js';
import type { ProcessEnvironment, ProcessTable } from './process-table.js';

/** Fixed-width fields first, the name last (it may hold spaces); -ww: never cut to a terminal's width. */
const ROW_FORMAT = ['-ww', '-o', 'pid=,ppid=,pgid=,stat=,lstart=,comm='];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
/** `  pid  ppid  pgid STAT Mon Dec  7 05:26:40 2026 name`: lstart in the C locale, UTC (run-tool.ts sets both). */
const ROW = /^\s*(\d+)\s+(\d+)\s+(\d+)\s+(\S+)\s+\w{3}\s+(\w{3})\s+(\d{1,2})\s+(\d{2}):(\d{2}):(\d{2})\s+(\d{4}) ?(.*)$/;

/** The rows in the output of `ps -o pid=,ppid=,pgid=,stat=,lstart=,comm=` (TZ=UTC, LC_ALL=C); lines that are not rows are skipped. */
export function parsePsRows(stdout: string): ProcessRow[] {
  const rows: ProcessRow[] = [];
  for (const line of stdout.split('\n')) {
    const match = ROW.exec(line);
    if (!match) continue;
    const [, pid, ppid, pgid, stat, month, day, hours, minutes, seconds, year, command] = match;
    const monthIndex = MONTHS.indexOf(month!);
    if (monthIndex === -1) continue;
    const startMs = Date.UTC(Number(year), monthIndex, Number(day), Number(hours), Number(minutes), Number(seconds));
    rows.push({ pid: Number(pid), ppid: Number(ppid), pgid: Number(pgid), state: stat!.charAt(0), startTime: startMs / 1000, command: command!.trim() });
  }
  return rows;
}

/**
 * `ps` with the environment after each command: BSD `e` on Linux (procps); on macOS `e` is not
 * that (its -e means every process) and -E is.
 */
export function environmentArgs(platform: NodeJS.Platform, pids: readonly number[] | 'all'): string[] {
  const show = platform === 'darwin' ? ['-E', '-ww'] : ['eww'];
  return [...show, ...(pids === 'all' ? ['-A'] : ['-p', pids.join(',')]), '-o', 'pid=,command='];
}

/**
 * Each pid's line of `ps` with environments (`pid command args NAME=value ...`). ps joins the
 * arguments and the entries with spaces, so an entry is found as ` NAME=value` followed by a
 * space or the end of the line (an argument spelled the same would match too).
 */
export function parseEnvironmentLines(stdout: string): Map<number, ProcessEnvironment> {
  const environments = new Map<number, ProcessEnvironment>();
  for (const line of stdout.split('\n')) {
    const match = /^\s*(\d+) (.*)$/.exec(line);
    if (!match) continue;
    const text = ` ${match[2]!}`;
    environments.set(Number(match[1]), { includes: (entry) => text.includes(` ${entry} `) || text.endsWith(` ${entry}`) });
  }
  return environments;
}

/** pid -> ports in the output of `lsof -F pn` (`p<pid>` lines, then `n<address>:<port>` lines of that pid). */
export function parseLsofListening(stdout: string): Map<number, number[]> {
  const ports = new Map<number, number[]>();
  let pid: number | null = null;
  for (const line of stdout.split('\n')) {
    if (line.startsWith('p')) pid = Number(line.slice(1));
    else if (line.startsWith('n') && pid !== null) {
      const port = Number(line.slice(line.lastIndexOf(':') + 1));
      if (Number.isInteger(port) && port > 0) ports.set(pid, [...(ports.get(pid) ?? []), port]);
    }
  }
  return ports;
}

const sortedUnique = (ports: Iterable<number>) => [...new Set(ports)].sort((a, b) => a - b);

export function psTable(run: ToolRunner = runTool, platform: NodeJS.Platform = process.platform): ProcessTable {
  /** stdout of ps, or null when ps could not run. Exit 1 with no output: no such process. */
  const ps = async (args: string[]) => {
    const answer = await run('ps', args);
    return answer.ran ? answer.stdout : null;
  };
  const environments = async (pids: readonly number[] | 'all') => {
    const stdout = await ps(environmentArgs(platform, pids));
    return stdout === null ? new Map<number, ProcessEnvironment>() : parseEnvironmentLines(stdout);
  };
  return {
    kind: 'portable',
    async list() {
      const stdout = await ps(['-A', ...ROW_FORMAT]);
      return stdout === null ? null : parsePsRows(stdout);
    },
    async row(pid) {
      const stdout = await ps([...ROW_FORMAT, '-p', String(pid)]);
      return (stdout === null ? undefined : parsePsRows(stdout).find((row) => row.pid === pid)) ?? null;
    },
    environmentOf: async (pid) => (await environments([pid])).get(pid) ?? null,
    async pidsWithEnvironment(entries) {
      return [...(await environments('all'))].filter(([, environment]) => entries.every((entry) => environment.includes(entry))).map(([pid]) => pid);
    },
    async listeningPorts(pids) {
      const answer = await run('lsof', ['-nP', '-iTCP', '-sTCP:LISTEN', '-F', 'pn']);
      // lsof exits 1 both when nothing listens and on trouble it can work around (a process it may not read).
      if (!answer.ran || answer.exitCode > 1) return null;
      const byPid = parseLsofListening(answer.stdout);
      const wanted = pids === undefined ? [...byPid.keys()] : pids;
      return sortedUnique(wanted.flatMap((pid) => byPid.get(pid) ?? []));
    },
  };
}
