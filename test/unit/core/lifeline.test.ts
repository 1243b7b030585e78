// The lifeline's pure parts: message parsing and the kill decision (pid reuse, orphans, descendants).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type ProcessInfo, applyLifelineMessage, emptyRecord, parseLifelineMessage, planKills } from '../../../src/core/lifeline.js';

const p = (pid: number, ppid: number, pgid: number, startTime = 100): ProcessInfo => ({ pid, ppid, pgid, startTime });
const groups = (entries: Array<[number, number | null]>) => ({ groups: new Map(entries) });

describe('planKills', () => {
  const cases: Array<{ name: string; record: ReturnType<typeof groups>; table: ProcessInfo[] | null; expected: { groups: number[]; pids: number[]; skipped: number } }> = [
    { name: 'leader alive with the recorded start time: kill its group', record: groups([[500, 100]]), table: [p(500, 1, 500), p(501, 500, 500)], expected: { groups: [500], pids: [], skipped: 0 } },
    { name: 'pid reused (start time differs): never killed', record: groups([[500, 100]]), table: [p(500, 1, 500, 999), p(501, 500, 500, 999)], expected: { groups: [], pids: [], skipped: 1 } },
    { name: 'leader gone, orphans of its group remain: killed', record: groups([[500, 100]]), table: [p(501, 1, 500, 120)], expected: { groups: [500], pids: [], skipped: 0 } },
    { name: 'group gone entirely: nothing to do', record: groups([[500, 100]]), table: [p(42, 1, 42)], expected: { groups: [], pids: [], skipped: 0 } },
    { name: 'a descendant that left the group (setsid) is killed by pid', record: groups([[500, 100]]), table: [p(500, 1, 500), p(501, 500, 500), p(600, 501, 600), p(601, 600, 600)], expected: { groups: [500], pids: [600, 601], skipped: 0 } },
    { name: 'the watchdog itself is never on the list', record: groups([[500, 100]]), table: [p(500, 1, 500), p(700, 500, 700)], expected: { groups: [500], pids: [], skipped: 0 } },
    { name: 'no process table (not Linux): every recorded group, unverified', record: groups([[500, 100], [600, null]]), table: null, expected: { groups: [500, 600], pids: [], skipped: 0 } },
    { name: 'start time unknown when recorded: the group is killed', record: groups([[500, null]]), table: [p(500, 1, 500, 5)], expected: { groups: [500], pids: [], skipped: 0 } },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const plan = planKills(c.record, c.table, 700);
      assert.deepEqual({ groups: plan.groups, pids: plan.pids.sort((a, b) => a - b), skipped: plan.skipped.length }, c.expected);
    });
  }
});

describe('parseLifelineMessage', () => {
  it('accepts the five messages and rejects anything else, pgid 0 and 1 included', () => {
    assert.deepEqual(parseLifelineMessage('{"op":"watch-group","pgid":5,"startTime":7}'), { op: 'watch-group', pgid: 5, startTime: 7 });
    assert.deepEqual(parseLifelineMessage('{"op":"watch-group","pgid":5,"startTime":null}'), { op: 'watch-group', pgid: 5, startTime: null });
    assert.deepEqual(parseLifelineMessage('{"op":"forget-group","pgid":5}'), { op: 'forget-group', pgid: 5 });
    assert.deepEqual(parseLifelineMessage('{"op":"watch-container","id":"abc123"}'), { op: 'watch-container', id: 'abc123' });
    assert.deepEqual(parseLifelineMessage('{"op":"release"}'), { op: 'release' });
    for (const bad of ['', 'null', '[]', '{"op":"watch-group","pgid":1,"startTime":1}', '{"op":"watch-group","pgid":0,"startTime":1}',
      '{"op":"watch-group","pgid":-5,"startTime":1}', '{"op":"watch-group","pgid":5}', '{"op":"watch-container","id":"a b"}', '{"op":"nuke"}']) {
      assert.equal(parseLifelineMessage(bad), null, bad);
    }
  });

  it('applying messages keeps the record: forget removes, a container turns on the Docker sweep', () => {
    const record = emptyRecord();
    for (const line of ['{"op":"watch-group","pgid":5,"startTime":7}', '{"op":"watch-group","pgid":6,"startTime":8}', '{"op":"forget-group","pgid":5}',
      '{"op":"watch-container","id":"c1"}', '{"op":"forget-container","id":"c1"}']) applyLifelineMessage(record, parseLifelineMessage(line)!);
    assert.deepEqual([...record.groups], [[6, 8]]);
    assert.deepEqual([...record.containers], []);
    assert.equal(record.usedDocker, true);
    assert.equal(record.released, false);
  });
});

