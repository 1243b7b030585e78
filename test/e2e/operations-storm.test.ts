/**
 * The operation storm (issue 19): 20 control clients issue random scale, rolling restart, restart,
 * stop, start and kill against a real `up` with a local Traefik for 20 s. Every second, every
 * process lb-dev started is in a process group the lifeline record holds (so SIGKILL of `up` would
 * reach it); afterwards status, the running processes, Traefik's API and the lifeline record agree,
 * and `down` leaves nothing. `scripts/soak.mjs --storm` runs the same for minutes.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { recordFileOf } from '../../src/adapters/process/lifeline-file.js';
import { parseRecord } from '../../src/core/lifeline.js';
import { LbDevError } from '../../src/core/errors.js';
import { e2eGate, traefikBinaryGate } from '../helpers/e2e-gate.js';
import { FAST_GROUP, LbDevRun, Workspace, markedProcesses, nodeFixture, waitUntil } from '../helpers/lb-dev/index.js';
import { markedInstances, pidAlive } from '../helpers/lb-dev/processes.js';

const gate = await e2eGate();
const binaryGate = gate.skip ? gate : await traefikBinaryGate();
const STORM_MS = 20_000;
const CLIENTS = 20;
/** What a client may be told while others change the set under it: coded, expected refusals. */
const EXPECTED_REFUSALS = new Set(['INSTANCE_NOT_FOUND', 'INSTANCE_NOT_RUNNING']);

/** The process group of `pid` (field 5 of /proc/<pid>/stat), or null once it is gone. */
function pgidOf(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]);
  } catch {
    return null;
  }
}

function recordedGroups(stateDir: string): Set<number> {
  try {
    const parsed = parseRecord(readFileSync(recordFileOf(stateDir), 'utf8'));
    return 'record' in parsed ? new Set(parsed.record.groups.keys()) : new Set();
  } catch {
    return new Set();
  }
}

/** Marked processes whose group the lifeline record does not hold (read on both sides of the scan: a spawn is recorded right after it). */
function untracked(stateDir: string): number[] {
  const before = recordedGroups(stateDir);
  const pids = markedProcesses(stateDir);
  const afterwards = recordedGroups(stateDir);
  return pids.filter((pid) => {
    const pgid = pgidOf(pid);
    return pgid !== null && !before.has(pgid) && !afterwards.has(pgid) && pidAlive(pid);
  });
}

describe('an operation storm from 20 clients against a real up and Traefik', { skip: binaryGate.skip || false, timeout: 240_000 }, () => {
  let ws: Workspace;
  let run: LbDevRun;

  before(async () => {
    ws = await Workspace.create({
      groups: { app: { command: nodeFixture('http-ok.mjs'), instances: 3, ...FAST_GROUP } },
      config: { traefik: { mode: 'binary' } },
    });
    run = LbDevRun.startIn(ws);
    await run.waitAllReady(3, 90_000);
  });

  after(() => ws?.cleanup());

  it('every process stays tracked during the storm, and everything agrees after it', async (t) => {
    let seed = 7;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const name = () => String(1 + Math.floor(random() * 4));
    const operations: Array<() => [string, Record<string, unknown>]> = [
      () => ['scale', { count: Math.floor(random() * 5), drainMs: 0, wait: false }],
      () => ['restart', { all: true, rolling: true, drainMs: 0 }],
      () => ['restart', { instance: name(), rolling: random() < 0.5, drainMs: 0 }],
      () => ['stop', { instance: name() }],
      () => ['start', { instance: name(), wait: false }],
      () => ['kill', { random: true }],
    ];
    const counts = { calls: 0, refused: 0 };
    const stormEnds = Date.now() + STORM_MS;
    const client = async () => {
      while (Date.now() < stormEnds) {
        const [operation, params] = operations[Math.floor(random() * operations.length)]!();
        counts.calls++;
        try {
          await run.call(operation, params);
        } catch (error) {
          if (!(error instanceof LbDevError) || !EXPECTED_REFUSALS.has(error.code)) throw error;
          counts.refused++;
        }
      }
    };
    const violations: string[] = [];
    const watcher = setInterval(() => {
      const found = untracked(ws.stateDir);
      if (found.length) violations.push(`${new Date().toISOString()}: untracked ${found.join(', ')}`);
    }, 1_000);
    try {
      await Promise.all(Array.from({ length: CLIENTS }, client));
    } finally {
      clearInterval(watcher);
    }
    t.diagnostic(`${counts.calls} operations, ${counts.refused} refused with an expected code`);
    assert.deepEqual(violations, [], 'every process lb-dev started is in a recorded group, every second');

    const agreement = await waitUntil(
      async () => {
        const report = await run.status();
        const wanted = report.instances.filter((i) => i.desired === 'running');
        if (!wanted.every((i) => i.state === 'ready' && i.inBalancer)) return null;
        const urls = wanted.map((i) => `http://127.0.0.1:${i.port}`).sort();
        const traefik = (await ws.apiServers().catch(() => null)) ?? [];
        const running = [...markedInstances(ws.stateDir).keys()].filter((n) => n !== '?').sort();
        const groups = recordedGroups(ws.stateDir);
        const tracked = wanted.every((i) => groups.has(i.pid!));
        const same = JSON.stringify(traefik) === JSON.stringify(urls) && JSON.stringify(running) === JSON.stringify(wanted.map((i) => i.name).sort());
        return same && tracked && untracked(ws.stateDir).length === 0 ? { wanted: wanted.map((i) => i.name), urls } : null;
      },
      { timeoutMs: 30_000, what: 'status, processes, Traefik and the lifeline record to agree after the storm' },
    );
    t.diagnostic(`after the storm: ${agreement.wanted.join(', ') || 'none'} running, the same in Traefik`);
    const down = await run.cli(['down']);
    assert.equal(down.code, 0, down.stderr);
    await run.exited;
    assert.deepEqual(markedProcesses(ws.stateDir), [], 'down left nothing running');
  });
});
