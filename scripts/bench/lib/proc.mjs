// What /proc says about a process: resident memory, CPU time, and which processes carry a
// state dir marker (to kill whatever a run left behind). Linux only.
import { readFileSync, readdirSync } from 'node:fs';
import { sleep } from './util.mjs';

/** Clock ticks per second of /proc/<pid>/stat's utime and stime (USER_HZ, 100 on Linux). */
const TICKS_PER_SECOND = 100;

export function rssMb(pid) {
  return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) / 1024;
}

/** utime + stime in seconds. */
export function cpuSeconds(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) may hold spaces: count fields after its closing parenthesis.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
}

/** Each pid's CPU use over `windowMs`, as % of one core, and its VmRSS at the end (MB). */
export async function sampleCost(pids, windowMs) {
  const before = pids.map(cpuSeconds);
  const t0 = performance.now();
  await sleep(windowMs);
  const seconds = (performance.now() - t0) / 1000;
  return pids.map((pid, i) => ({ pid, cpuPercent: ((cpuSeconds(pid) - before[i]) / seconds) * 100, rssMb: rssMb(pid) }));
}

/** Pids whose environment holds `NAME=value` (lb-dev gives every instance LB_DEV_STATE_DIR). */
export function pidsWithEnv(name, value) {
  const marker = `\0${name}=${value}\0`;
  const pids = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      if (`\0${readFileSync(`/proc/${entry}/environ`, 'utf8')}`.includes(marker)) pids.push(Number(entry));
    } catch {
      // gone, or not ours
    }
  }
  return pids;
}

/** SIGKILL to each pid and its process group; gone ones are fine. */
export function killAll(pids) {
  for (const pid of pids) {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      /* not a group leader, or gone */
    }
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      /* gone */
    }
  }
}

/** Pids whose command line contains every one of `parts` (e.g. a script name and a state dir). */
export function pidsWithArgs(parts) {
  const pids = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      if (parts.every((p) => cmdline.includes(p))) pids.push(Number(entry));
    } catch {
      // gone
    }
  }
  return pids;
}
