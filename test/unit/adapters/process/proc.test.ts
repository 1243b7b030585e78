import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { describe, it } from 'node:test';
import {
  listPids,
  listeningSockets,
  parseBootTime,
  parseListeningSockets,
  parseProcStat,
  readBootTime,
  readEnviron,
  readProcStat,
  socketInodes,
} from '../../../../src/adapters/process/proc.js';

const linux = process.platform === 'linux' ? false : 'reads /proc (Linux only)';

describe('parseProcStat', () => {
  it('reads state, parent, group, start time and name, whatever the name holds', () => {
    const text = '4242 (we ird) (x) S 17 4240 4240 0 -1 4194304 101 0 0 0 0 0 0 0 20 0 1 0 50466 3133440 414 18446744073709551615\n';
    assert.deepEqual(parseProcStat(text), { pid: 4242, state: 'S', ppid: 17, pgid: 4240, startTime: 50466, command: 'we ird) (x' });
  });
  it('answers null for text that is not a stat line', () => {
    for (const text of ['', 'no parens here', '12 (short) S 1', '12 )x( S 1 2 3']) assert.equal(parseProcStat(text), null, JSON.stringify(text));
  });
  it("reads the boot time from /proc/stat's btime line", () => {
    assert.equal(parseBootTime('cpu  1 2 3\nintr 5\nbtime 1796613392\nprocesses 9\n'), 1796613392);
    assert.equal(parseBootTime('cpu  1 2 3\n'), null);
  });
});

describe('reading /proc', { skip: linux }, () => {
  it('reads a live child: its parent, its own process group, its environment', async () => {
    const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], {
      detached: true,
      stdio: 'ignore',
      env: { PATH: process.env.PATH ?? '', LB_DEV_PROC_TEST: 'yes' },
    });
    try {
      await once(child, 'spawn');
      const stat = await readProcStat(child.pid!);
      assert.ok(stat && stat.state !== 'Z', `running: ${JSON.stringify(stat)}`);
      assert.equal(stat.ppid, process.pid);
      assert.equal(stat.pgid, child.pid, 'detached: the leader of its own group');
      assert.ok((await readEnviron(child.pid!))?.includes('LB_DEV_PROC_TEST=yes'));
      assert.equal(stat.command, 'node');
      assert.ok((await listPids())?.includes(child.pid!));
      assert.ok(((await readBootTime()) ?? 0) > 1_500_000_000, 'a boot time after 2017');
    } finally {
      child.kill('SIGKILL');
    }
  });
  it('answers null for a pid that does not exist', async () => {
    assert.equal(await readProcStat(2 ** 22 + 1), null);
    assert.equal(await readEnviron(2 ** 22 + 1), null);
  });
});

describe('listening sockets', () => {
  it('parses LISTEN rows of /proc/net/tcp and tcp6 (inode -> port), skipping other states', () => {
    const text = [
      '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode',
      '   0: 0100007F:837B 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 820869 1 0000000019e51c26 100 0 0 10 0',
      '   1: 0100007F:0BB8 0100007F:C350 01 00000000:00000000 00:00000000 00000000     0        0 820961 1 00000000ad68134c 100 0 0 10 0',
      '   2: 00000000000000000000000000000000:1F90 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 777 1 0 100 0 0 10 0',
    ].join('\n');
    assert.deepEqual(
      [...parseListeningSockets(text)],
      [
        [820869, 0x837b],
        [777, 8080],
      ],
    );
  });
  it('sees what a real process listens on: its socket inode in /proc/net/tcp', { skip: linux }, async () => {
    const child = spawn(process.execPath, ['-e', "const s = require('net').createServer().listen(0, '127.0.0.1', () => console.log(s.address().port))"], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    try {
      const [chunk] = (await once(child.stdout!, 'data')) as [Buffer];
      const port = Number(chunk.toString().trim());
      const sockets = await listeningSockets();
      const ports = (await socketInodes(child.pid!)).map((inode) => sockets?.get(inode)).filter((p) => p !== undefined);
      assert.deepEqual(ports, [port]);
      assert.deepEqual(await socketInodes(2 ** 22 + 1), []);
    } finally {
      child.kill('SIGKILL');
    }
  });
});
