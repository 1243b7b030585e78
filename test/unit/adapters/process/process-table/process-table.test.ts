// The same suite against both process tables (/proc, and ps + lsof) on one live tree, and the
// two compared: the rows, the tree, the ports and the start times must agree. lsof is a
// package of its own: without it the portable table's port answers are skipped locally, and
// fail where the run must be complete (CI=true or LB_DEV_E2E_REQUIRED=1).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { procTable } from '../../../../../src/adapters/process/process-table/proc-table.js';
import { type ProcessTable, liveTreeOf, portsOfTree, startTimeOf } from '../../../../../src/adapters/process/process-table/process-table.js';
import { psTable } from '../../../../../src/adapters/process/process-table/ps-table.js';
import type { ProcessRow } from '../../../../../src/core/process-tree.js';
import { type LiveTree, startLiveTree } from '../live-tree.js';

const linux = process.platform === 'linux' ? false : 'compares with /proc (Linux only)';
const hasLsof = (() => {
  try {
    execFileSync('lsof', ['-v'], { stdio: 'ignore' });
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== 'ENOENT'; // lsof -v exits 1 on some versions
  }
})();
const required = process.env.CI === 'true' || process.env.LB_DEV_E2E_REQUIRED === '1';
/** Skip the lsof answers when lsof is missing, unless required: then run them, and they fail. */
const lsofSkip = hasLsof || required ? false : 'lsof is not installed (Debian: apt-get install lsof)';

const GONE = 2 ** 22 + 1;
const tables: Array<[string, () => ProcessTable]> = [
  ['/proc', procTable],
  ['ps + lsof', () => psTable()],
];

let tree: LiveTree;
before(async () => {
  tree = await startLiveTree();
});
after(() => tree?.kill());

const members = () => [tree.leader, tree.child, tree.grandchild, tree.outsider].sort((a, b) => a - b);
const comparable = (row: ProcessRow) => ({ pid: row.pid, ppid: row.ppid, pgid: row.pgid, startTime: row.startTime, command: row.command });

for (const [name, make] of tables) {
  describe(`the ${name} table`, { skip: name === '/proc' ? linux : false }, () => {
    const table = make();

    it('lists every member with its parent and group; the outsider leads a group of its own', async () => {
      const rows = new Map(((await table.list()) ?? []).map((row) => [row.pid, row]));
      const row = (pid: number) => rows.get(pid) ?? assert.fail(`pid ${pid} listed`);
      assert.deepEqual([row(tree.leader).ppid, row(tree.leader).pgid], [process.pid, tree.leader]);
      assert.deepEqual([row(tree.child).ppid, row(tree.child).pgid], [tree.leader, tree.leader]);
      assert.deepEqual([row(tree.grandchild).ppid, row(tree.grandchild).pgid], [tree.child, tree.leader]);
      assert.deepEqual([row(tree.outsider).ppid, row(tree.outsider).pgid], [tree.leader, tree.outsider]);
      for (const pid of members()) {
        assert.equal(row(pid).command, 'node');
        assert.match(row(pid).state, /^[RS]$/);
        const age = Date.now() / 1000 - row(pid).startTime;
        assert.ok(age > -2 && age < 120, `pid ${pid} started ${age} s ago`);
      }
    });

    it('the tree of the leader: its group and everything below it, the outsider included', async () => {
      assert.deepEqual(
        (await liveTreeOf(table, tree.leader))?.map((row) => row.pid).sort((a, b) => a - b),
        members(),
      );
      assert.deepEqual(
        (await liveTreeOf(table, tree.outsider))?.map((row) => row.pid),
        [tree.outsider],
      );
    });

    it('a pid: its row and start time, or null once gone', async () => {
      const listed = (await table.list())?.find((row) => row.pid === tree.grandchild);
      assert.deepEqual(await table.row(tree.grandchild), listed);
      assert.equal(await startTimeOf(table, tree.grandchild), listed?.startTime);
      assert.equal(await table.row(GONE), null);
      assert.equal(await startTimeOf(table, GONE), null);
    });

    it('environments: the marker every member inherited, nothing for a gone pid', async () => {
      assert.equal((await table.environmentOf(tree.grandchild))?.includes(tree.marker), true);
      assert.equal((await table.environmentOf(tree.grandchild))?.includes(`${tree.marker}x`), false);
      assert.equal(await table.environmentOf(GONE), null);
      assert.deepEqual(
        (await table.pidsWithEnvironment([tree.marker])).sort((a, b) => a - b),
        members(),
      );
      // Several entries: every one must be there.
      assert.deepEqual(
        (await table.pidsWithEnvironment([tree.marker, `PATH=${process.env['PATH']}`])).sort((a, b) => a - b),
        members(),
      );
      assert.deepEqual(await table.pidsWithEnvironment([tree.marker, 'LB_DEV_TREE_TEST_ABSENT=1']), []);
    });

    it("the ports a tree listens on, and anyone's", { skip: name === '/proc' ? false : lsofSkip }, async () => {
      const ports = [tree.grandchildPort, tree.outsiderPort].sort((a, b) => a - b);
      assert.deepEqual(await portsOfTree(table, tree.leader), ports);
      assert.deepEqual(await portsOfTree(table, tree.child), [tree.grandchildPort]);
      assert.deepEqual(await table.listeningPorts([]), []);
      const everyone = await table.listeningPorts();
      assert.ok(
        ports.every((port) => everyone?.includes(port)),
        `${ports} among ${everyone}`,
      );
    });
  });
}

describe('/proc and ps + lsof agree', { skip: linux }, () => {
  const [proc, portable] = [procTable(), psTable()];

  it('on the rows of the tree (pid, parent, group, start time, name) and on the tree itself', async () => {
    const rows = async (table: ProcessTable) => ((await table.list()) ?? []).filter((row) => members().includes(row.pid)).map(comparable);
    const byPid = (a: { pid: number }, b: { pid: number }) => a.pid - b.pid;
    const [fromProc, fromPs] = await Promise.all([rows(proc), rows(portable)]);
    assert.equal(fromProc.length, 4);
    assert.deepEqual(fromPs.sort(byPid), fromProc.sort(byPid));
    const tree = async (table: ProcessTable) => (await liveTreeOf(table, members()[0]!))?.map((row) => row.pid).sort();
    assert.deepEqual(await tree(portable), await tree(proc));
  });

  it('on the start time of every process both can see', async () => {
    const [fromProc, fromPs] = await Promise.all([proc.list(), portable.list()]);
    // A process that came or went between the two reads (its pid reused) is not the same process: compared are those with the same parent and name.
    const key = (row: ProcessRow) => `${row.pid} ${row.ppid} ${row.command}`;
    const psStarts = new Map(fromPs!.map((row) => [key(row), row.startTime]));
    const both = fromProc!.filter((row) => psStarts.has(key(row)));
    assert.deepEqual(
      both.filter((row) => psStarts.get(key(row)) !== row.startTime),
      [],
    );
    assert.ok(both.length >= 4, `${both.length} processes seen by both`);
  });

  it('on the ports of the tree and of everyone', { skip: lsofSkip }, async () => {
    assert.deepEqual(await portsOfTree(portable, tree.leader), await portsOfTree(proc, tree.leader));
    const [all, allPs] = await Promise.all([proc.listeningPorts(), portable.listeningPorts()]);
    // lsof sees the sockets of processes it may read (root here: all of them); /proc/net/tcp every socket.
    assert.ok(
      allPs!.every((port) => all!.includes(port)),
      `lsof ${allPs} within /proc ${all}`,
    );
  });
});

describe('the portable table without its tools', () => {
  const missing = psTable(async (file) => ({ ran: false, reason: `${file} is not installed` }));
  it('cannot tell (null), rather than saying "none"', async () => {
    assert.equal(await missing.list(), null);
    assert.equal(await missing.row(process.pid), null);
    assert.equal(await missing.listeningPorts(), null);
    assert.equal(await missing.environmentOf(process.pid), null);
    assert.deepEqual(await missing.pidsWithEnvironment(['A=b']), []);
    assert.equal(await portsOfTree(missing, process.pid), null);
  });
});
