/**
 * Short-lived tool calls (`ps`, `lsof`, `sysctl`): execa runs every one, with a timeout, the
 * C locale and UTC (so that dates and messages parse the same everywhere), and no throw on a
 * non-zero exit (lsof exits 1 when it finds nothing). execa is imported on the first call
 * only: it costs ~14 MB resident, and `up` on Linux with /proc never makes such a call.
 */

/** What a tool said: `ran` with its exit code and stdout, or why it could not run (not installed, timed out). */
export type ToolAnswer = { ran: true; exitCode: number; stdout: string } | { ran: false; reason: string };

/** Runs `file` with `args`: the real one is runTool; tests inject their own. */
export type ToolRunner = (file: string, args: readonly string[]) => Promise<ToolAnswer>;

const TIMEOUT_MS = 10_000;

export const runTool: ToolRunner = async (file, args) => {
  const { execa } = await import('execa');
  const result = await execa(file, args, {
    reject: false,
    stdin: 'ignore',
    timeout: TIMEOUT_MS,
    maxBuffer: 64 << 20,
    env: { LC_ALL: 'C', TZ: 'UTC' },
  });
  if (typeof result.exitCode === 'number' && !result.timedOut) return { ran: true, exitCode: result.exitCode, stdout: result.stdout };
  if (result.code === 'ENOENT') return { ran: false, reason: `${file} is not installed (not found on PATH)` };
  return { ran: false, reason: result.timedOut ? `${file} did not answer within ${TIMEOUT_MS} ms` : (result.shortMessage ?? `${file} failed`) };
};
