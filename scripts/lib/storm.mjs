// The operation storm (issue 19): many control clients issue random lifecycle operations at a
// running `up`, and the check that holds at every moment meanwhile: every process lb-dev started
// is in a process group its lifeline record holds, so SIGKILL of `up` would still reach it.
// Used by test/e2e/operations-storm.test.ts (20 s) and `scripts/soak.mjs --storm` (minutes).
// Linux only (/proc), like the rest of the soak.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** A seeded generator (mulberry32): the same storm for the same seed. */
export function seededRandom(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let r = Math.imul(a ^ (a >>> 15), 1 | a);
    r = (r + Math.imul(r ^ (r >>> 7), 61 | r)) ^ r;
    return ((r ^ (r >>> 14)) >>> 0) / 4294967296;
  };
}

/** One random operation and its params: scale, rolling restart, restart, stop, start, kill. */
export function randomOperation(random) {
  const name = () => String(1 + Math.floor(random() * 4));
  const operations = [
    () => ['scale', { count: Math.floor(random() * 5), drainMs: 0, wait: false }],
    () => ['restart', { all: true, rolling: true, drainMs: 0 }],
    () => ['restart', { instance: name(), rolling: random() < 0.5, drainMs: 0 }],
    () => ['stop', { instance: name() }],
    () => ['start', { instance: name(), wait: false }],
    () => ['kill', { random: true }],
  ];
  return operations[Math.floor(random() * operations.length)]();
}

/** What a client may be told while others change the set under it: coded, expected refusals. */
export const EXPECTED_REFUSALS = new Set(['INSTANCE_NOT_FOUND', 'INSTANCE_NOT_RUNNING']);

/**
 * `clients` loops of random operations through `call(name, params)` until `until()` is false.
 * A refusal with an expected code is counted; any other error ends the storm with it.
 */
export async function runStorm({ call, clients, until, random }) {
  const counts = { calls: 0, refused: 0 };
  const client = async () => {
    while (until()) {
      const [operation, params] = randomOperation(random);
      counts.calls++;
      try {
        await call(operation, params);
      } catch (error) {
        if (!EXPECTED_REFUSALS.has(error?.code)) throw error;
        counts.refused++;
      }
    }
  };
  await Promise.all(Array.from({ length: clients }, client));
  return counts;
}

/** The process group of `pid` (field 5 of /proc/<pid>/stat), or null once it is gone. */
function pgidOf(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]);
  } catch {
    return null;
  }
}

/** The process groups in `<stateDir>/lifeline.json` (src/core/lifeline.ts serializeRecord: `groups` is [pgid, startTime] pairs). */
export function recordedGroups(stateDir) {
  try {
    const { groups } = JSON.parse(readFileSync(join(stateDir, 'lifeline.json'), 'utf8'));
    return new Set(groups.map(([pgid]) => pgid));
  } catch {
    return new Set();
  }
}

/**
 * Pids from `marked()` (the processes lb-dev started) whose group the lifeline record does not
 * hold. The record is read on both sides of the scan: `up` records a group right after its spawn.
 */
export function untrackedProcesses(stateDir, marked) {
  const before = recordedGroups(stateDir);
  const pids = marked();
  const afterwards = recordedGroups(stateDir);
  return pids.filter((pid) => {
    const pgid = pgidOf(pid);
    return pgid !== null && !before.has(pgid) && !afterwards.has(pgid) && pgidOf(pid) !== null;
  });
}
