// The ephemeral port range: Linux's file read for real, macOS's sysctl through an injected
// runner (no macOS here), and the parsing both share.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { ephemeralPortRange, parsePortRange, readEphemeralPortRange } from '../../../src/adapters/platform-facts.js';
import type { ToolRunner } from '../../../src/adapters/process/run-tool.js';

describe('parsePortRange', () => {
  it('reads two ports separated by white space (the Linux file has a tab, sysctl -n a newline)', () => {
    assert.deepEqual(parsePortRange('32768\t60999\n'), { first: 32768, last: 60999 });
    assert.deepEqual(parsePortRange('49152\n65535\n'), { first: 49152, last: 65535 });
  });
  it('null for anything else', () => {
    for (const text of ['', '32768', '1 2 3', 'a b', '60999 32768', '0 100', '1000 70000']) assert.equal(parsePortRange(text), null, JSON.stringify(text));
  });
});

describe('readEphemeralPortRange', () => {
  it('Linux: /proc/sys/net/ipv4/ip_local_port_range, as the kernel has it', { skip: process.platform === 'linux' ? false : 'Linux only' }, async () => {
    const expected = parsePortRange(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8'));
    assert.ok(expected);
    assert.deepEqual(await readEphemeralPortRange('linux'), expected);
    assert.deepEqual(await ephemeralPortRange(), expected);
  });
  it('macOS: `sysctl -n net.inet.ip.portrange.first net.inet.ip.portrange.last`; null when sysctl fails', async () => {
    const calls: string[][] = [];
    const sysctl =
      (answer: Awaited<ReturnType<ToolRunner>>): ToolRunner =>
      async (file, args) => {
        calls.push([file, ...args]);
        return answer;
      };
    assert.deepEqual(await readEphemeralPortRange('darwin', sysctl({ ran: true, exitCode: 0, stdout: '49152\n65535\n' })), { first: 49152, last: 65535 });
    assert.deepEqual(calls, [['sysctl', '-n', 'net.inet.ip.portrange.first', 'net.inet.ip.portrange.last']]);
    assert.equal(await readEphemeralPortRange('darwin', sysctl({ ran: true, exitCode: 1, stdout: '' })), null);
    assert.equal(await readEphemeralPortRange('darwin', sysctl({ ran: false, reason: 'sysctl is not installed' })), null);
  });
});
