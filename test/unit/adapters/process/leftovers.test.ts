// Leftovers of a killed run, found by their LB_DEV_STATE_DIR marker and stopped, with both
// process tables; a group is signalled only while a member found in it is still there. The
// same sweep by a run's marker (several entries), with exceptions, and SIGKILL at once.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { findLeftoverGroups, findMarkedGroups, stopLeftovers, stopMarkedGroups } from '../../../../src/adapters/process/leftovers.js';
import { runMarker } from '../../../../src/core/process-marker.js';
import { procTable } from '../../../../src/adapters/process/process-table/proc-table.js';
import type { ProcessTable } from '../../../../src/adapters/process/process-table/process-table.js';
import { psTable } from '../../../../src/adapters/process/process-table/ps-table.js';
import { pidAlive } from '../../../helpers/lb-dev/index.js';
import { type LiveTree, startLiveTree } from './live-tree.js';

const trees: LiveTree[] = [];
after(() => {
  for (const tree of trees) tree.kill();
});
const linux = process.platform === 'linux' ? false : 'the /proc table is Linux only';

for (const [name, table, skip] of [
  ['/proc', procTable(), linux],
  ['ps', psTable(), false],
] as Array<[string, ProcessTable, string | false]>) {
  describe(`leftovers with the ${name} table`, { skip }, () => {
    it("finds the groups of the marked processes (the outsider's group too), with start times, and stops them all", async () => {
      const stateDir = `/tmp/lb-dev-leftovers-test-${process.pid}-${name.length}`;
      const tree = await startLiveTree({ ignoreTerm: ['GRANDCHILD'], env: { LB_DEV_STATE_DIR: stateDir } });
      trees.push(tree);
      const groups = await findLeftoverGroups(stateDir, table);
      const byGroup = new Map(groups.map((group) => [group.pgid, group.members.map((member) => member.pid).sort((a, b) => a - b)]));
      assert.deepEqual(
        byGroup.get(tree.leader),
        [tree.leader, tree.child, tree.grandchild].sort((a, b) => a - b),
      );
      assert.deepEqual(byGroup.get(tree.outsider), [tree.outsider]);
      assert.equal(groups.length, 2);
      const now = Date.now() / 1000;
      assert.ok(groups.flatMap((group) => group.members).every((member) => Math.abs(now - member.startTime) < 120));
      assert.deepEqual(await findLeftoverGroups(`${stateDir}-other`, table), [], "another state dir's marker is not ours");

      const stopped = await stopLeftovers(stateDir, 300, table);
      assert.deepEqual(
        stopped.sort((a, b) => a - b),
        [tree.leader, tree.outsider].sort((a, b) => a - b),
      );
      for (const pid of [tree.leader, tree.child, tree.grandchild, tree.outsider]) assert.equal(pidAlive(pid), false, `pid ${pid} stopped`);
      assert.equal(tree.terms('GRANDCHILD'), 1, 'one SIGTERM, then SIGKILL after the grace');
    });

    it("a run's marker: every entry must be there; groups dealt with are left out; grace 0 is SIGKILL at once", async () => {
      const stateDir = `/tmp/lb-dev-marked-test-${process.pid}-${name.length}`;
      const tree = await startLiveTree({ ignoreTerm: ['GRANDCHILD'], env: { LB_DEV_STATE_DIR: stateDir, LB_DEV_RUN: 'run-1' } });
      trees.push(tree);
      const pgids = async (marker: string[], except = {}) => (await findMarkedGroups(marker, table, except)).map((group) => group.pgid).sort((a, b) => a - b);
      assert.deepEqual(
        await pgids(runMarker(stateDir, 'run-1')),
        [tree.leader, tree.outsider].sort((a, b) => a - b),
      );
      assert.deepEqual(await pgids(runMarker(stateDir, 'run-2')), [], "another run's marker on the same state dir is not this one");
      assert.deepEqual(await pgids(runMarker(stateDir, 'run-1'), { groups: [tree.leader] }), [tree.outsider]);
      assert.deepEqual(await pgids(runMarker(stateDir, 'run-1'), { groups: [tree.leader], pids: [tree.outsider] }), []);

      const stopped = await stopMarkedGroups(runMarker(stateDir, 'run-1'), 0, table);
      assert.equal(stopped.length, 2);
      for (const pid of [tree.leader, tree.child, tree.grandchild, tree.outsider]) assert.equal(pidAlive(pid), false, `pid ${pid} stopped`);
      assert.equal(tree.terms('GRANDCHILD'), 0, 'no SIGTERM: SIGKILL at once');
    });
  });
}
