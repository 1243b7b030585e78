/**
 * `lb-dev up --traefik docker` leaves nothing behind: after Ctrl-C (SIGINT) the container is
 * gone, both ports are free and no instance process remains; after the supervisor itself is
 * SIGKILLed together with its lifeline watchdog (which would otherwise remove them: see
 * up-sigkill.test.ts), the next `up` on the same state dir removes the container (and instances) it left.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { e2eGate } from '../helpers/e2e-gate.js';
import { portFree } from '../helpers/http.js';
import { Workspace, demoGroups, info, pidAlive, startAndWaitReady, waitUntil } from '../helpers/lb-dev/index.js';

const gate = await e2eGate();

const TEST_TIMEOUT_MS = 240_000;
const LEFTOVER_LINE = 'removed a Traefik container left by an earlier run that did not stop cleanly';

describe('lb-dev up --traefik docker: shutdown and leftovers', { skip: gate.skip || false, timeout: 600_000 }, () => {
  const workspaces: Workspace[] = [];
  const workspace = async () => {
    const ws = await Workspace.create({ groups: demoGroups(3), config: { traefik: { mode: 'docker' } } });
    workspaces.push(ws);
    return ws;
  };

  after(async () => {
    for (const ws of workspaces) await ws.cleanup();
  });

  it('SIGINT: container gone, balancer and API ports free, no instance process left', { timeout: TEST_TIMEOUT_MS }, async (t) => {
    const ws = await workspace();
    const { run, report } = await startAndWaitReady(t, ws, 3, 'docker (shutdown test)');
    const pids = report.instances.map((i) => i.pid!).filter(Boolean);
    assert.equal(pids.length, 3);
    const containers = await ws.containers();
    assert.equal(containers.length, 1, `expected one container labelled ${ws.layout.root}, got ${JSON.stringify(containers)}`);
    assert.equal(ws.processes().length >= 3, true, 'expected the instances to carry the state dir marker');

    const signalledAt = performance.now();
    run.signal('SIGINT');
    const exit = await run.waitExit(60_000);
    const shutdownMs = Math.round(performance.now() - signalledAt);
    assert.deepEqual(exit, { code: 0, signal: null }, `expected up to exit 0 after SIGINT, got ${JSON.stringify(exit)}\n${run.tail()}`);
    assert.match(run.output(), /stopped; nothing left running/);
    t.diagnostic(`SIGINT -> up exited in ${shutdownMs} ms`);

    // Checked at once, not polled: up must have finished all of this before exiting.
    assert.deepEqual(await ws.containers(), [], `expected no container labelled dev.lb-dev.state-dir=${ws.layout.root} after shutdown`);
    assert.equal(await portFree(ws.port), true, `expected the balancer port ${ws.port} free after shutdown`);
    assert.equal(await portFree(ws.apiPort), true, `expected the API port ${ws.apiPort} free after shutdown`);
    assert.deepEqual(pids.filter(pidAlive), [], 'expected every instance pid gone after shutdown');
    assert.deepEqual(ws.processes(), [], 'expected no process with this state dir marker after shutdown');
  });

  it('supervisor and its watchdog SIGKILLed: the next up on the same state dir removes the leftover container and instances', {
    timeout: TEST_TIMEOUT_MS,
  }, async (t) => {
    const ws = await workspace();
    const first = await startAndWaitReady(t, ws, 3, 'docker (first run)');
    const oldPids = first.report.instances.map((i) => i.pid!).filter(Boolean);
    const [oldContainer] = await ws.containers();
    assert.ok(oldContainer, 'expected the first run to have a container');

    // The watchdog first (as an OOM killer taking both might): then nothing cleans up at all.
    const { lifelinePid } = JSON.parse(readFileSync(ws.layout.runFile, 'utf8')) as { lifelinePid: number };
    process.kill(lifelinePid, 'SIGKILL');
    await waitUntil(() => !pidAlive(lifelinePid), { timeoutMs: 5_000, what: 'the watchdog to be gone' });
    await first.run.kill(); // SIGKILL: no cleanup at all
    // What it leaves: the container, still serving on both ports (and the instances, unless
    // they died on their own writing to the dead supervisor's pipes).
    const left = await ws.containers();
    assert.deepEqual(
      left.map((c) => [c.id, c.state]),
      [[oldContainer.id, 'running']],
      'expected the container to outlive a SIGKILLed supervisor',
    );
    assert.equal(await portFree(ws.port), false, 'expected the leftover container to still hold the balancer port');
    const survivors = oldPids.filter(pidAlive);
    t.diagnostic(`after SIGKILL of up: container ${oldContainer.name} still running; ${survivors.length}/${oldPids.length} instance processes still alive`);

    // Same config, same ports: the leftover must be removed before the ports are checked.
    const second = await startAndWaitReady(t, ws, 3, 'docker (run after a SIGKILLed supervisor)');
    assert.ok(second.run.output().includes(LEFTOVER_LINE), `expected the log line "${LEFTOVER_LINE}"; output:\n${second.run.tail()}`);
    assert.ok(second.run.output().includes(oldContainer.name), `expected the log line to name ${oldContainer.name}`);
    const now = await ws.containers();
    assert.equal(now.length, 1, `expected exactly one container labelled ${ws.layout.root}, got ${JSON.stringify(now)}`);
    assert.notEqual(now[0]!.id, oldContainer.id, 'expected a new container, not the leftover');
    assert.deepEqual(oldPids.filter(pidAlive), [], 'expected every instance of the killed run to be gone');
    // Whether the instances were still there for the second run to stop is a race: an orphaned
    // instance may die on its own writing to the dead supervisor's pipe (EPIPE). Reported only.
    const stoppedLine = /stopped (\d+) process group\(s\) left by an earlier lb-dev/.exec(second.run.output());
    t.diagnostic(
      stoppedLine
        ? `the second run stopped ${stoppedLine[1]} leftover process group(s)`
        : 'the orphaned instances had exited on their own before the second run looked',
    );
    const newPids = second.report.instances.map((i) => i.pid);
    assert.deepEqual(
      newPids.filter((pid) => pid !== null && oldPids.includes(pid)),
      [],
      'expected new instance processes',
    );
    const answer = await info(ws);
    assert.equal(answer.status, 200, `expected the new run to serve, got ${answer.status} ${answer.text}`);

    // And this run shuts down cleanly.
    second.run.signal('SIGINT');
    const exit = await second.run.waitExit(60_000);
    assert.deepEqual(exit, { code: 0, signal: null }, `expected exit 0, got ${JSON.stringify(exit)}\n${second.run.tail()}`);
    assert.deepEqual(await ws.containers(), []);
    await waitUntil(() => ws.processes().length === 0, { timeoutMs: 5_000, what: 'no marked process left' });
  });
});
