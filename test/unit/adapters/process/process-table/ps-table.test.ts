// What the portable table reads from ps and lsof, as text: pure parsing, with lines as Linux's
// procps and macOS's ps print them. The live answers are in process-table.test.ts.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { environmentArgs, parseEnvironmentLines, parseLsofListening, parsePsRows } from '../../../../../src/adapters/process/process-table/ps-table.js';

describe('parsePsRows', () => {
  it('reads pid, parent, group, the first letter of the state, lstart (UTC) as seconds, and a name with spaces', () => {
    const text = [
      '    1     0     0 Ss   Mon Dec  7 03:16:43 2026 launchd',
      '24909 24907 24907 S+   Tue Jan 13 23:59:59 2026 /Applications/Some App.app/Contents/MacOS/Some App',
      '  311     1   311 Z    Sun Feb  1 00:00:00 2026 node',
      '',
      'garbage line',
      '   12     1    12 S    Mon Foo  7 03:16:43 2026 bad-month',
    ].join('\n');
    assert.deepEqual(parsePsRows(text), [
      { pid: 1, ppid: 0, pgid: 0, state: 'S', startTime: Date.UTC(2026, 11, 7, 3, 16, 43) / 1000, command: 'launchd' },
      {
        pid: 24909,
        ppid: 24907,
        pgid: 24907,
        state: 'S',
        startTime: Date.UTC(2026, 0, 13, 23, 59, 59) / 1000,
        command: '/Applications/Some App.app/Contents/MacOS/Some App',
      },
      { pid: 311, ppid: 1, pgid: 311, state: 'Z', startTime: Date.UTC(2026, 1, 1) / 1000, command: 'node' },
    ]);
  });
});

describe('environments from ps', () => {
  it('asks procps with BSD `e`, macOS with -E (its -e means every process)', () => {
    assert.deepEqual(environmentArgs('linux', 'all'), ['eww', '-A', '-o', 'pid=,command=']);
    assert.deepEqual(environmentArgs('darwin', [5, 6]), ['-E', '-ww', '-p', '5,6', '-o', 'pid=,command=']);
  });
  it('finds an entry as a whole word of the line, at its end too; not a prefix of a longer value', () => {
    const environments = parseEnvironmentLines(
      [
        '  42 node server.js PATH=/usr/bin LB_DEV_STATE_DIR=/tmp/a HOME=/root',
        '  43 node other.js LB_DEV_STATE_DIR=/tmp/a',
        '  44 node third.js LB_DEV_STATE_DIR=/tmp/ab',
        '  45 [kthreadd]',
      ].join('\n'),
    );
    const has = (pid: number) => environments.get(pid)?.includes('LB_DEV_STATE_DIR=/tmp/a');
    assert.deepEqual([has(42), has(43), has(44), has(45), has(46)], [true, true, false, false, undefined]);
  });
});

describe('parseLsofListening', () => {
  it('reads `-F pn` output: each pid with the ports of its IPv4, IPv6 and wildcard sockets', () => {
    const text = ['p25101', 'n*:36097', 'n127.0.0.1:39997', 'n[::1]:36143', 'p7', 'f5', 'n[fe80::1%lo0]:8080', 'nweird', ''].join('\n');
    assert.deepEqual(
      [...parseLsofListening(text)],
      [
        [25101, [36097, 39997, 36143]],
        [7, [8080]],
      ],
    );
    assert.deepEqual([...parseLsofListening('')], []);
  });
});
