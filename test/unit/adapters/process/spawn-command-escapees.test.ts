// A command's escapees (setsid, their parent gone: test/fixtures/setsid-escapee.mjs): its stop and
// its reap (after a crash of the leader) stop them too when it was given its marker, with the
// /proc table and the portable one (LB_DEV_PROCESS_TABLE, read once per process: a child runs it);
// an escapee with another instance's marker is left alone; without a marker only the tree is stopped.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { after, describe, it, test } from 'node:test';
import getPort from 'get-port';
import { type RunningProcess, spawnCommand } from '../../../../src/adapters/process/spawn-command.js';
import { instanceMarker } from '../../../../src/core/process-marker.js';
import { processTable } from '../../../../src/adapters/process/process-table/choose.js';
import { ROOT, TSX, killHard, nodeFixture, pidAlive, waitUntil } from '../../../helpers/lb-dev/index.js';

const escapees = new Set<number>();
const started: RunningProcess[] = [];
after(() => {
  for (const child of started) if (child.pid > 0) killHard(child.pid);
  for (const pid of escapees) killHard(pid);
});

const RUN = `test-${process.pid}`;

async function startWithEscapee(instance: string, withMarker: boolean): Promise<{ child: RunningProcess; escapee: number }> {
  const env = {
    PATH: process.env['PATH'] ?? '',
    HOME: process.env['HOME'] ?? '/',
    PORT: String(await getPort({ host: '127.0.0.1' })),
    LB_DEV_STATE_DIR: `/tmp/lb-dev-escapees-${process.pid}`,
    LB_DEV_RUN: RUN,
    LB_DEV_INSTANCE: instance,
  };
  let output = '';
  const child = spawnCommand({
    command: nodeFixture('setsid-escapee.mjs', `${RUN}-${instance}`),
    cwd: ROOT,
    env,
    onOutput: (_stream, chunk) => {
      output += chunk.toString('utf8');
    },
    marker: withMarker ? instanceMarker(env) : null,
  });
  started.push(child);
  const found = await waitUntil(() => /ESCAPEE (\d+)/.exec(output), { timeoutMs: 10_000, what: () => `the escapee's pid; output: ${output}` });
  const escapee = Number(found[1]);
  escapees.add(escapee);
  return { child, escapee };
}

const gone = (pid: number) => waitUntil(() => !pidAlive(pid), { timeoutMs: 5_000, what: `${pid} gone` });

describe('escapees, /proc or ps as chosen (LB_DEV_PROCESS_TABLE)', () => {
  it('says which table', (t) => {
    t.diagnostic(`table: ${processTable().kind}`);
  });

  it('stop: the escapee of this instance is stopped, that of another instance is not', async () => {
    const one = await startWithEscapee('app-1', true);
    const two = await startWithEscapee('app-2', true);
    await one.child.stop(1_000);
    assert.equal(pidAlive(one.escapee), false, "app-1's escapee is gone once the stop resolved");
    assert.equal(pidAlive(two.escapee), true, "app-2's escapee is not app-1's");
    await two.child.stop(1_000);
    assert.equal(pidAlive(two.escapee), false);
  });

  it('reap after the leader crashed: the escapee is stopped', async () => {
    const { child, escapee } = await startWithEscapee('app-3', true);
    process.kill(child.pid, 'SIGKILL');
    await child.exited;
    assert.equal(pidAlive(escapee), true, 'the crash leaves it');
    await child.reap(1_000);
    assert.equal(pidAlive(escapee), false, 'gone once the reap resolved');
  });

  it('without a marker only the tree is stopped: the escapee is out of its reach', async () => {
    const { child, escapee } = await startWithEscapee('app-4', false);
    await child.stop(1_000);
    assert.equal(pidAlive(escapee), true);
    killHard(escapee);
    await gone(escapee);
  });
});

// The portable table is chosen once per process: the same tests again in a child with it forced.
test('the same tests pass with the portable table (ps)', { skip: process.env['LB_DEV_PROCESS_TABLE'] ? 'this is that run' : false }, async () => {
  // Without NODE_TEST_CONTEXT: else the inner runner reports to ours in its binary form, not as text.
  const { NODE_TEST_CONTEXT: _context, ...env } = process.env;
  const child = spawn(process.execPath, ['--import', TSX, '--test', '--test-reporter=tap', fileURLToPath(import.meta.url)], {
    env: { ...env, LB_DEV_PROCESS_TABLE: 'portable' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk: Buffer) => {
    output += chunk.toString('utf8');
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const [code] = (await once(child, 'exit')) as [number | null];
  assert.equal(code, 0, output);
  assert.match(output, /table: portable/);
  assert.match(output, /^# pass 4$/m, output);
  assert.match(output, /^# fail 0$/m, output);
});
