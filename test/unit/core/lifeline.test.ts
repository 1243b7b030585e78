// The lifeline's pure parts: the record and its file format (validated: input from outside), and
// the kill decision (pid reuse, orphans, descendants).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  type LifelineMessage,
  type ProcessInfo,
  applyLifelineMessage,
  emptyRecord,
  parseRecord,
  planKills,
  serializeRecord,
} from '../../../src/core/lifeline.js';

const p = (pid: number, ppid: number, pgid: number, startTime = 100): ProcessInfo => ({ pid, ppid, pgid, startTime });
const groups = (entries: Array<[number, number | null]>) => ({ groups: new Map(entries) });

describe('planKills', () => {
  const cases: Array<{
    name: string;
    record: ReturnType<typeof groups>;
    table: ProcessInfo[] | null;
    expected: { groups: number[]; pids: number[]; skipped: number };
  }> = [
    {
      name: 'leader alive with the recorded start time: kill its group',
      record: groups([[500, 100]]),
      table: [p(500, 1, 500), p(501, 500, 500)],
      expected: { groups: [500], pids: [], skipped: 0 },
    },
    {
      name: 'pid reused (start time differs): never killed',
      record: groups([[500, 100]]),
      table: [p(500, 1, 500, 999), p(501, 500, 500, 999)],
      expected: { groups: [], pids: [], skipped: 1 },
    },
    {
      name: 'leader gone, orphans of its group remain: killed',
      record: groups([[500, 100]]),
      table: [p(501, 1, 500, 120)],
      expected: { groups: [500], pids: [], skipped: 0 },
    },
    { name: 'group gone entirely: nothing to do', record: groups([[500, 100]]), table: [p(42, 1, 42)], expected: { groups: [], pids: [], skipped: 0 } },
    {
      name: 'a descendant that left the group (setsid) is killed by pid',
      record: groups([[500, 100]]),
      table: [p(500, 1, 500), p(501, 500, 500), p(600, 501, 600), p(601, 600, 600)],
      expected: { groups: [500], pids: [600, 601], skipped: 0 },
    },
    {
      name: 'what an orphan of the group started in a group of its own is killed by pid',
      record: groups([[500, 100]]),
      table: [p(501, 1, 500, 120), p(600, 501, 600), p(42, 1, 42)],
      expected: { groups: [500], pids: [600], skipped: 0 },
    },
    {
      name: 'the watchdog itself is never on the list',
      record: groups([[500, 100]]),
      table: [p(500, 1, 500), p(700, 500, 700)],
      expected: { groups: [500], pids: [], skipped: 0 },
    },
    {
      name: 'the table could not be read: every recorded group, unverified',
      record: groups([
        [500, 100],
        [600, null],
      ]),
      table: null,
      expected: { groups: [500, 600], pids: [], skipped: 0 },
    },
    {
      name: 'start time unknown when recorded: the group is killed',
      record: groups([[500, null]]),
      table: [p(500, 1, 500, 5)],
      expected: { groups: [500], pids: [], skipped: 0 },
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const plan = planKills(c.record, c.table, 700);
      assert.deepEqual({ groups: plan.groups, pids: plan.pids.sort((a, b) => a - b), skipped: plan.skipped.length }, c.expected);
    });
  }
});

describe('the record and its file', () => {
  it('applying changes keeps the record: forget removes, a container turns on the Docker sweep', () => {
    const record = emptyRecord();
    const changes: LifelineMessage[] = [
      { op: 'watch-group', pgid: 5, startTime: 7 },
      { op: 'watch-group', pgid: 6, startTime: 8 },
      { op: 'forget-group', pgid: 5 },
      { op: 'watch-container', id: 'c1' },
      { op: 'forget-container', id: 'c1' },
    ];
    for (const change of changes) applyLifelineMessage(record, change);
    assert.deepEqual([...record.groups], [[6, 8]]);
    assert.deepEqual([...record.containers], []);
    assert.equal(record.usedDocker, true);
  });

  it('a record survives its file: groups with start times (or null), containers, the Docker flag', () => {
    const record = emptyRecord();
    for (const change of [
      { op: 'watch-group', pgid: 500, startTime: 1234 },
      { op: 'watch-group', pgid: 600, startTime: null },
      { op: 'watch-container', id: 'lb-dev-traefik-0123456789ab' },
    ] as LifelineMessage[])
      applyLifelineMessage(record, change);
    const text = serializeRecord(record);
    assert.equal(text, '{"groups":[[500,1234],[600,null]],"containers":["lb-dev-traefik-0123456789ab"],"usedDocker":true}');
    assert.deepEqual(parseRecord(text), { record });
    assert.deepEqual(parseRecord(serializeRecord(emptyRecord())), { record: emptyRecord() });
  });

  it('a garbled file is refused whole, saying what was expected and what was given', () => {
    const cases: Array<[string, RegExp]> = [
      ['', /expected JSON/],
      ['{"groups":[[500,1]', /expected JSON/],
      ['null', /expected an object, got null/],
      ['[]', /expected an object/],
      ['{"containers":[],"usedDocker":false}', /"groups"/],
      ['{"groups":[],"usedDocker":false}', /"containers"/],
      ['{"groups":[],"containers":[]}', /"usedDocker"/],
      // pgid 1 is every process, 0 our own group, -5 the group 5: never to reach kill().
      ['{"groups":[[1,5]],"containers":[],"usedDocker":false}', /group \[pgid > 1, startTime\], got \[1,5\]/],
      ['{"groups":[[0,5]],"containers":[],"usedDocker":false}', /got \[0,5\]/],
      ['{"groups":[[-5,5]],"containers":[],"usedDocker":false}', /got \[-5,5\]/],
      ['{"groups":[[5]],"containers":[],"usedDocker":false}', /got \[5\]/],
      ['{"groups":[[5,"x"]],"containers":[],"usedDocker":false}', /got \[5,"x"\]/],
      ['{"groups":[[5.5,1]],"containers":[],"usedDocker":false}', /got \[5.5,1\]/],
      ['{"groups":[],"containers":["a b"],"usedDocker":true}', /container id, got "a b"/],
      ['{"groups":[],"containers":["../x"],"usedDocker":true}', /container id/],
      ['{"groups":[],"containers":[7],"usedDocker":true}', /container id, got 7/],
    ];
    for (const [text, problem] of cases) {
      const parsed = parseRecord(text);
      assert.ok('problem' in parsed, `refused: ${text}`);
      assert.match(parsed.problem, problem, text);
    }
  });
});
