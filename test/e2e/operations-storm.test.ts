/**
 * The operation storm (issue 19): 20 control clients issue random scale, rolling restart, restart,
 * stop, start and kill against a real `up` with a local Traefik for 20 s. Every second, every
 * process lb-dev started is in a process group the lifeline record holds (so SIGKILL of `up` would
 * reach it); afterwards status, the running processes, Traefik's API and the lifeline record agree,
 * and `down` leaves nothing. `scripts/soak.mjs --storm` runs the same for minutes.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { disagreement, runStorm, seededRandom, untrackedProcesses } from '../../scripts/lib/storm.mjs';
import { e2eGate, traefikBinaryGate } from '../helpers/e2e-gate.js';
import { FAST_GROUP, LbDevRun, Workspace, markedProcesses, nodeFixture, waitUntil } from '../helpers/lb-dev/index.js';
import { markedInstances } from '../helpers/lb-dev/processes.js';

const gate = await e2eGate();
const binaryGate = gate.skip ? gate : await traefikBinaryGate();
const STORM_MS = 20_000;
const CLIENTS = 20;

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
    const untracked = () => untrackedProcesses(ws.stateDir, () => markedProcesses(ws.stateDir));
    const violations: string[] = [];
    const watcher = setInterval(() => {
      const found = untracked();
      if (found.length) violations.push(`${new Date().toISOString()}: untracked ${found.join(', ')}`);
    }, 1_000);
    const stormEnds = Date.now() + STORM_MS;
    let counts: { calls: number; refused: number };
    try {
      counts = await runStorm({
        call: (name, params) => run.call(name, params),
        clients: CLIENTS,
        until: () => Date.now() < stormEnds,
        random: seededRandom(7),
      });
    } finally {
      clearInterval(watcher);
    }
    t.diagnostic(`${counts.calls} operations, ${counts.refused} refused with an expected code`);
    assert.deepEqual(violations, [], 'every process lb-dev started is in a recorded group, every second');

    /** Waits until status, the processes, Traefik's API and the lifeline record agree; the instances that run. */
    const agreement = (what: string) => {
      let last: string | null = null;
      return waitUntil(
        async () => {
          const report = await run.status();
          last = disagreement({
            report,
            traefikUrls: (await ws.apiServers().catch(() => null)) ?? [],
            runningNames: [...markedInstances(ws.stateDir).keys()].filter((n) => n !== '?').sort(),
            stateDir: ws.stateDir,
            marked: () => markedProcesses(ws.stateDir),
          });
          return last === null ? { wanted: report.instances.filter((i) => i.desired === 'running').map((i) => i.name) } : null;
        },
        { timeoutMs: 30_000, what: () => `status, processes, Traefik and the lifeline record to agree ${what}; last: ${last}` },
      );
    };
    const settled = await agreement('after the storm');
    t.diagnostic(`after the storm: ${settled.wanted.join(', ') || 'none'} running, the same in Traefik`);
    // Whatever the storm left, the cluster still does what it is told: 4 instances, all running.
    await run.call('scale', { count: 4, drainMs: 0, wait: true });
    for (const instance of (await run.status()).instances) if (instance.desired === 'stopped') await run.call('start', { instance: instance.name, wait: true });
    assert.deepEqual((await agreement('after scale 4 and start')).wanted, ['app-1', 'app-2', 'app-3', 'app-4']);
    const down = await run.cli(['down']);
    assert.equal(down.code, 0, down.stderr);
    await run.exited;
    assert.deepEqual(markedProcesses(ws.stateDir), [], 'down left nothing running');
  });
});
