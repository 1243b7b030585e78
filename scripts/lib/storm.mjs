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

/** The process group of `pid` (field 5 of /proc/<pid>/stat), or null once it is gone or a zombie (exited, its group may be forgotten). */
function pgidOf(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const [state, , pgid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return state === 'Z' ? null : Number(pgid);
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
    // Checked again last: a process that exited meanwhile has left its group, which may be forgotten already.
    return pgid !== null && !before.has(pgid) && !afterwards.has(pgid) && pgidOf(pid) !== null;
  });
}

/**
 * What disagrees once the storm is over, or null when all agree: every instance `status` wants
 * running is ready and in the balancer, Traefik's API lists exactly those, processes run for
 * exactly those (by their LB_DEV_INSTANCE), each one's group is in the lifeline record, and no
 * marked process is outside the record.
 */
export function disagreement({ report, traefikUrls, runningNames, stateDir, marked }) {
  const wanted = report.instances.filter((i) => i.desired === 'running');
  const notReady = wanted.filter((i) => i.state !== 'ready' || !i.inBalancer).map((i) => `${i.name} ${i.state}`);
  if (notReady.length) return `not ready and routed yet: ${notReady.join(', ')}`;
  const urls = wanted.map((i) => `http://127.0.0.1:${i.port}`).sort();
  if (JSON.stringify(traefikUrls) !== JSON.stringify(urls)) return `Traefik lists ${traefikUrls.join(' ') || 'nothing'}, status ${urls.join(' ') || 'nothing'}`;
  const names = wanted.map((i) => i.name).sort();
  if (JSON.stringify(runningNames) !== JSON.stringify(names))
    return `processes run for ${runningNames.join(' ') || 'nothing'}, status wants ${names.join(' ') || 'nothing'}`;
  const groups = recordedGroups(stateDir);
  const unrecorded = wanted.filter((i) => !groups.has(i.pid)).map((i) => i.name);
  if (unrecorded.length) return `not in the lifeline record: ${unrecorded.join(', ')}`;
  const untracked = untrackedProcesses(stateDir, marked);
  return untracked.length ? `untracked processes: ${untracked.join(', ')}` : null;
}
