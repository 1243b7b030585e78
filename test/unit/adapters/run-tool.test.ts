import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readFileSync } from 'node:fs';
import { pollUntil } from '../../../src/adapters/poll.js';
import { runTool } from '../../../src/adapters/run-tool.js';

/** The process's state letters from /proc (Z = a zombie); '' where there is no /proc entry. */
function readStat(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1] ?? '';
  } catch {
    return '';
  }
}

describe('runTool', () => {
  it('collects stdout, stderr and both in arrival order; exit 0 is not a failure', async () => {
    const result = await runTool('sh', ['-c', 'echo one; echo two >&2; echo three']);
    assert.equal(result.failed, false);
    assert.equal(result.exitCode, 0);
    assert.equal(result.stdout, 'one\nthree\n');
    assert.equal(result.stderr, 'two\n');
    assert.equal(result.shortMessage, '');
  });

  it('a non-zero exit, a missing program and a signal are failures that say why, never throws', async () => {
    const exited = await runTool('sh', ['-c', 'exit 3']);
    assert.deepEqual([exited.failed, exited.exitCode, exited.shortMessage], [true, 3, 'exited with code 3']);
    const missing = await runTool('/nonexistent/tool', ['x']);
    assert.equal(missing.failed, true);
    assert.equal(missing.exitCode, null);
    assert.match(missing.shortMessage, /ENOENT/);
    const killed = await runTool('sh', ['-c', 'kill -TERM $$']);
    assert.deepEqual([killed.failed, killed.signal, killed.shortMessage], [true, 'SIGTERM', 'killed by SIGTERM']);
  });

  it('past its time limit the whole process group is killed, grandchildren included', async () => {
    // The grandchild prints its pid, then both would sleep for a minute.
    const result = await runTool('sh', ['-c', 'sh -c "echo \\$\\$; exec sleep 60" & wait'], { timeoutMs: 300 });
    assert.equal(result.timedOut, true);
    assert.match(result.shortMessage, /timed out after 300 ms/);
    const grandchild = Number(result.stdout.trim());
    assert.ok(grandchild > 0, result.stdout);
    // Killed at once; reaped by init a moment later (a zombie still answers signal 0).
    const alive = () => {
      try {
        process.kill(grandchild, 0);
        return !/^Z/.test(readStat(grandchild));
      } catch {
        return false;
      }
    };
    const { outcome } = await pollUntil(async () => !alive(), { timeoutMs: 2_000, intervalMs: 20 });
    assert.equal(outcome, 'met', `grandchild ${grandchild} still runs`);
  });

  it('keeps at most maxBytes of each stream and says it cut', async () => {
    const result = await runTool('sh', ['-c', 'head -c 5000 /dev/zero'], { maxBytes: 1024 });
    assert.equal(result.truncated, true);
    assert.ok(result.stdout.length <= 1024);
  });

  it('runs in cwd with the env given', async () => {
    const result = await runTool('sh', ['-c', 'pwd; echo "$LB_DEV_X"'], { cwd: '/tmp', env: { PATH: process.env.PATH, LB_DEV_X: 'y' } });
    assert.equal(result.stdout, '/tmp\ny\n');
  });
});
