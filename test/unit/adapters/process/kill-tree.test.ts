// kill-tree.ts against real process trees (live-tree.ts: a group leader, a child, a grandchild,
// and an outsider that left the group with setsid): every process is signalled exactly once,
// a stop leaves nothing, orphans of a group are reaped, zombies count as gone. The file runs
// with the process table of this machine, and once more under LB_DEV_PROCESS_TABLE=portable.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { after, test } from 'node:test';
import { groupAlive, groupLive, reapOrphans, signalProcessTree, stopProcessTree } from '../../../../src/adapters/process/kill-tree.js';
import { processTable } from '../../../../src/adapters/process/process-table/choose.js';
import { TSX, pidAlive, waitUntil } from '../../../helpers/lb-dev/index.js';
import { holdsFor } from '../../../helpers/wait.js';
import { type LiveTree, type Role, startLiveTree } from './live-tree.js';

const ROLES: Role[] = ['LEADER', 'CHILD', 'GRANDCHILD', 'OUTSIDER'];
const trees: LiveTree[] = [];
after(() => {
  for (const tree of trees) tree.kill();
});

async function liveTree(ignoreTerm: Role[] = []): Promise<LiveTree> {
  const tree = await startLiveTree({ ignoreTerm });
  trees.push(tree);
  return tree;
}

const everyone = (tree: LiveTree) => [tree.leader, tree.child, tree.grandchild, tree.outsider];

test(`signalProcessTree reaches every process once, the outsider included (table: ${processTable().kind})`, async () => {
  // A second SIGTERM cuts a graceful shutdown short (`process.once('SIGTERM')`, "press Ctrl-C again to force").
  const tree = await liveTree(ROLES);
  await signalProcessTree(tree.leader, 'SIGTERM');
  await waitUntil(() => ROLES.every((role) => tree.terms(role) >= 1), { timeoutMs: 5_000, what: () => `a SIGTERM to each; output:\n${tree.output()}` });
  await holdsFor(
    () => ROLES.every((role) => tree.terms(role) === 1),
    200,
    () => `exactly one SIGTERM each; output:\n${tree.output()}`,
  );
  assert.ok(everyone(tree).every(pidAlive), 'they ignore it');
});

test('stopProcessTree: a tree that ignores SIGTERM is SIGKILLed after the grace, each process having had one SIGTERM', async (t) => {
  const tree = await liveTree(ROLES);
  const began = Date.now();
  await stopProcessTree(tree.leader, tree.exited, 400);
  const took = Date.now() - began;
  t.diagnostic(`stop(400) took ${took} ms`);
  for (const pid of everyone(tree)) assert.equal(pidAlive(pid), false, `pid ${pid} gone`);
  assert.equal(await groupLive(tree.leader), false);
  assert.ok(took >= 380 && took < 8_000, `SIGKILL only after the grace, and bounded (took ${took} ms)`);
  assert.deepEqual(
    ROLES.map((role) => tree.terms(role)),
    [1, 1, 1, 1],
    tree.output(),
  );
});

test('stopProcessTree: an outsider that ignores SIGTERM is followed up after its parent has left', async () => {
  const tree = await liveTree(['OUTSIDER']);
  await stopProcessTree(tree.leader, tree.exited, 300);
  assert.equal(pidAlive(tree.outsider), false, 'the outsider got SIGKILL, though no walk finds it once its parent is gone');
  assert.equal(tree.terms('OUTSIDER'), 1);
});

test('stopProcessTree: a tree that exits on SIGTERM is done long before the grace', async () => {
  const tree = await liveTree();
  const began = Date.now();
  await stopProcessTree(tree.leader, tree.exited, 10_000);
  assert.ok(Date.now() - began < 5_000, `took ${Date.now() - began} ms`);
  for (const pid of everyone(tree)) assert.equal(pidAlive(pid), false, `pid ${pid} gone`);
});

test('reapOrphans: what is left of a group whose leader was SIGKILLed is stopped; the outsider is not of the group', async () => {
  const tree = await liveTree(['CHILD', 'GRANDCHILD']);
  process.kill(tree.leader, 'SIGKILL');
  await tree.exited;
  assert.ok([tree.child, tree.grandchild].every(pidAlive), 'orphans outlive their leader');
  assert.equal(await groupLive(tree.leader), true);
  await reapOrphans(tree.leader, 300);
  assert.equal(pidAlive(tree.child) || pidAlive(tree.grandchild), false, 'the group is reaped');
  assert.equal(await groupLive(tree.leader), false);
  assert.equal(pidAlive(tree.outsider), true, 'reapOrphans signals the group only');
  await reapOrphans(tree.leader, 300); // nothing left: returns at once
});

test('groupLive: a group with only zombies left (orphans init has not reaped yet) counts as gone', async (t) => {
  const tree = await liveTree();
  process.kill(-tree.leader, 'SIGKILL');
  await tree.exited;
  const zombies = groupAlive(tree.leader);
  const began = Date.now();
  await waitUntil(async () => !(await groupLive(tree.leader)), { timeoutMs: 1_000, what: 'groupLive false' });
  const found = zombies ? 'still finds (zombie) members' : 'finds nothing';
  t.diagnostic(`kill(-pgid, 0) right after the kill: ${found}; groupLive false after ${Date.now() - began} ms`);
});

test('the same tests pass with the portable table (ps + lsof)', { skip: process.env.LB_DEV_PROCESS_TABLE ? 'this is that run' : false }, async () => {
  // Without NODE_TEST_CONTEXT: else the inner runner reports to ours in its binary form, not as text.
  const { NODE_TEST_CONTEXT: _context, ...env } = process.env;
  const child = spawn(process.execPath, ['--import', TSX, '--test', '--test-reporter=tap', fileURLToPath(import.meta.url)], {
    env: { ...env, LB_DEV_PROCESS_TABLE: 'portable' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    output += chunk.toString('utf8');
  });
  child.stderr!.on('data', (chunk: Buffer) => {
    output += chunk.toString('utf8');
  });
  const [code] = (await once(child, 'exit')) as [number | null];
  assert.equal(code, 0, output);
  assert.match(output, /table: portable/);
  assert.match(output, /^# pass 6$/m, output);
  assert.match(output, /^# fail 0$/m, output);
});
