/**
 * Facts about the machine that differ by platform, each behind one function: for now the
 * kernel's ephemeral port range (where outgoing connections take their local ports). Linux
 * says it in /proc/sys/net/ipv4/ip_local_port_range, macOS in sysctl's net.inet.ip.portrange.
 */
import { readFile } from 'node:fs/promises';
import { type ToolRunner, runTool } from './process/run-tool.js';

export interface PortRange {
  first: number;
  last: number;
}

const isPort = (n: number) => Number.isInteger(n) && n > 0 && n <= 65535;

/** Two ports (`first last`, separated by any white space, as the Linux file and `sysctl -n a b` print them); null otherwise. */
export function parsePortRange(text: string): PortRange | null {
  const fields = text.trim().split(/\s+/).map(Number);
  if (fields.length !== 2) return null;
  const [first, last] = fields as [number, number];
  return isPort(first) && isPort(last) && first <= last ? { first, last } : null;
}

/** How to read the range here: the Linux file, or macOS's sysctl (through `run`). */
export async function readEphemeralPortRange(platform: NodeJS.Platform, run: ToolRunner = runTool): Promise<PortRange | null> {
  if (platform === 'darwin') {
    const answer = await run('sysctl', ['-n', 'net.inet.ip.portrange.first', 'net.inet.ip.portrange.last']);
    return answer.ran && answer.exitCode === 0 ? parsePortRange(answer.stdout) : null;
  }
  try {
    return parsePortRange(await readFile('/proc/sys/net/ipv4/ip_local_port_range', 'utf8'));
  } catch {
    return null;
  }
}

let cached: Promise<PortRange | null> | undefined;

/** This machine's ephemeral port range, read once; null when it cannot be read. */
export function ephemeralPortRange(): Promise<PortRange | null> {
  cached ??= readEphemeralPortRange(process.platform);
  return cached;
}
