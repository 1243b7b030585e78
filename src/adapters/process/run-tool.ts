/**
 * The process table's tool calls (`ps`, `lsof`, `sysctl`) through lb-dev's one runTool
 * (src/adapters/run-tool.ts), with a timeout, the C locale and UTC (so that dates and messages
 * parse the same everywhere), and a non-zero exit that is an answer, not a failure (lsof exits 1
 * when it finds nothing).
 */
import { runTool as runAnyTool } from '../run-tool.js';

/** What a tool said: `ran` with its exit code and stdout, or why it could not run (not installed, timed out). */
export type ToolAnswer = { ran: true; exitCode: number; stdout: string } | { ran: false; reason: string };

/** Runs `file` with `args`: the real one is runTool; tests inject their own. */
export type ToolRunner = (file: string, args: readonly string[]) => Promise<ToolAnswer>;

const TIMEOUT_MS = 10_000;

export const runTool: ToolRunner = async (file, args) => {
  const result = await runAnyTool(file, args, { timeoutMs: TIMEOUT_MS, maxBytes: 64 << 20, env: { ...process.env, LC_ALL: 'C', TZ: 'UTC' } });
  if (result.exitCode !== null && !result.timedOut) return { ran: true, exitCode: result.exitCode, stdout: result.stdout };
  if (/ENOENT/.test(result.shortMessage)) return { ran: false, reason: `${file} is not installed (not found on PATH)` };
  return { ran: false, reason: result.timedOut ? `${file} did not answer within ${TIMEOUT_MS} ms` : result.shortMessage };
};
