// The one tree walk, table-driven.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type TreeRoots, isLive, treeOf } from '../../../src/core/process-tree.js';

const p = (pid: number, ppid: number, pgid: number) => ({ pid, ppid, pgid });

describe('treeOf', () => {
  const rows = [p(10, 1, 10), p(11, 10, 10), p(12, 11, 12), p(13, 12, 12), p(14, 1, 10), p(15, 14, 15), p(20, 1, 20), p(21, 20, 20)];
  const cases: Array<[string, TreeRoots, number[]]> = [
    ['a pid: it and everything below it by parent links, whatever their group', { pids: [11] }, [11, 12, 13]],
    ['a pid and its group: also the orphans of the group (re-parented to init) and what they started', { pids: [10], groups: [10] }, [10, 11, 14, 12, 15, 13]],
    ['several groups at once, each process once', { groups: [10, 20] }, [10, 11, 14, 20, 21, 12, 15, 13]],
    ['a root that is gone has no tree of its own', { pids: [99] }, []],
    ['no roots, no tree', {}, []],
  ];
  for (const [name, roots, expected] of cases)
    it(name, () =>
      assert.deepEqual(
        treeOf(rows, roots).map((row) => row.pid),
        expected,
      ),
    );

  it('a root missing from the rows (it exited while the table was read) still leads to its children', () => {
    assert.deepEqual(
      treeOf([p(31, 30, 30), p(32, 31, 30)], { pids: [30] }).map((row) => row.pid),
      [31, 32],
    );
  });
  it('survives a cycle of parent links (a table read while pids were reused)', () => {
    assert.deepEqual(
      treeOf([p(40, 41, 40), p(41, 40, 40)], { pids: [40] }).map((row) => row.pid),
      [40, 41],
    );
  });
});

describe('isLive', () => {
  it('zombies and dead processes are not live; every other state is', () => {
    assert.deepEqual(
      ['R', 'S', 'D', 'T', 'I', 'Z', 'X'].map((state) => isLive({ state })),
      [true, true, true, true, true, false, false],
    );
  });
});
