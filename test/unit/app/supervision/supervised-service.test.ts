// The one supervision driver (src/app/supervision/supervised-service.ts) with a real child
// process as the service (node-server-service.ts): a crash restarts it with the backoff, failed
// probes (the process frozen with SIGSTOP) restart it, a stop during the backoff or during a start
// leaves nothing restarted, and a failed first start is the caller's coded error with nothing left running.
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import type { RestartConfig } from '../../../../src/core/config/types.js';
import type { SupervisionPolicy } from '../../../../src/app/supervision/service.js';
import { SupervisedService } from '../../../../src/app/supervision/supervised-service.js';
import { freePort } from '../../../helpers/http.js';
import { pidAlive } from '../../../helpers/lb-dev/processes.js';
import { holdsFor, waitUntil } from '../../../helpers/wait.js';
import { NodeServerService } from './node-server-service.js';

const restart: RestartConfig = { enabled: true, initialDelayMs: 300, maxDelayMs: 5_000, multiplier: 2, jitter: 0, resetAfterMs: 60_000 };
const policy: SupervisionPolicy = { restart, probeIntervalMs: 100, failureThreshold: 3 };

const running: SupervisedService[] = [];
afterEach(async () => {
  for (const part of running.splice(0)) await part.stop();
});

async function supervised(over: Partial<SupervisionPolicy> = {}, run: ConstructorParameters<typeof NodeServerService>[1] = {}) {
  const service = new NodeServerService(await freePort(), run);
  const lines: string[] = [];
  const part = new SupervisedService(service, { logs: { event: (source, text) => lines.push(`${source}: ${text}`) }, policy: { ...policy, ...over } });
  running.push(part);
  return { service, part, lines };
}

/** Waits until the service runs a process other than `was` and the part is healthy again. */
async function backFrom(part: SupervisedService, service: NodeServerService, was: number): Promise<number> {
  return waitUntil(() => (part.status().health === 'healthy' && service.pid !== was ? service.pid : null), {
    timeoutMs: 15_000,
    what: () => `the stand-in restarted and healthy (status ${JSON.stringify(part.status())})`,
  });
}

describe('SupervisedService', () => {
  it('starts healthy, and a crash restarts it after the backoff, which grows with crashes in a row', async () => {
    const { service, part, lines } = await supervised();
    await part.start();
    assert.deepEqual(part.status(), { name: 'standin', health: 'healthy', detail: service.describe(), restarts: 0 });
    const first = service.pid!;

    const killedAt = Date.now();
    process.kill(first, 'SIGKILL');
    const second = await backFrom(part, service, first);
    const firstDelay = service.spawns[1]!.at - killedAt;
    assert.ok(firstDelay >= restart.initialDelayMs - 20, `restarted ${firstDelay} ms after the crash, expected >= ${restart.initialDelayMs}`);
    assert.equal(pidAlive(first), false);
    assert.ok((await service.probe()).ok, 'the new process answers /-/ready');

    const again = Date.now();
    process.kill(second, 'SIGKILL');
    await backFrom(part, service, second);
    const secondDelay = service.spawns[2]!.at - again;
    assert.ok(
      secondDelay >= 2 * restart.initialDelayMs - 20,
      `second crash in a row: restarted after ${secondDelay} ms, expected >= ${2 * restart.initialDelayMs}`,
    );
    assert.equal(part.status().restarts, 2);

    assert.ok(lines.includes('standin: ERROR: the stand-in was killed by SIGKILL: nothing answers; starting Stand-in again'), lines.join('\n'));
    assert.equal(lines.filter((line) => /^standin: Stand-in is back, [\d.]+m?s after the fault was seen$/.test(line)).length, 2, lines.join('\n'));
  });

  it('failed probes past the threshold (the process frozen) kill it and restart it', async () => {
    const { service, part, lines } = await supervised();
    await part.start();
    const frozen = service.pid!;
    process.kill(frozen, 'SIGSTOP');
    await waitUntil(() => part.status().health !== 'healthy', { what: 'the frozen stand-in seen as unhealthy' });
    await backFrom(part, service, frozen);
    assert.equal(pidAlive(frozen), false, 'the frozen process was killed');
    assert.equal(part.status().restarts, 1);
    assert.ok(
      lines.some((line) => line.startsWith('standin: ERROR: 3 failed probes in a row (no answer from /-/ready')),
      lines.join('\n'),
    );
  });

  it('a healthy service is probed at the slow pace; a freeze brings the fast one back and restarts it', async () => {
    const { service, part, lines } = await supervised({ probeIntervalMs: 50, healthyProbeIntervalMs: 1_000 });
    let probes = 0;
    const probe = service.probe.bind(service);
    service.probe = () => {
      probes += 1;
      return probe();
    };
    await part.start();
    const counted = probes;
    await holdsFor(() => part.status().health === 'healthy', 1_500, 'the stand-in healthy');
    // At 50 ms a probe this would be ~30; at 1 s, at most 2 (one more if the timer fired late).
    assert.ok(probes - counted <= 3, `${probes - counted} probes in 1.5 s of health, expected <= 3`);
    const frozen = service.pid!;
    process.kill(frozen, 'SIGSTOP');
    await backFrom(part, service, frozen);
    assert.ok(
      lines.some((line) => line.startsWith('standin: ERROR: 3 failed probes in a row')),
      lines.join('\n'),
    );
  });

  it('a stop during the backoff: nothing is restarted', async () => {
    const { service, part } = await supervised({ restart: { ...restart, initialDelayMs: 1_000 } });
    await part.start();
    process.kill(service.pid!, 'SIGKILL');
    await waitUntil(() => part.status().health === 'restarting', { what: 'the stand-in waiting for its restart' });
    await part.stop();
    assert.equal(part.status().health, 'stopped');
    await holdsFor(() => service.spawns.length === 1 && service.pid === null, 1_500, 'no process started after the stop');
    assert.equal(part.status().restarts, 0);
  });

  it('a first start that fails: its coded error, nothing left running, no restart', async () => {
    const { service, part } = await supervised();
    service.failStarts = 1;
    await assert.rejects(part.start(), { code: 'PROMETHEUS_START_FAILED' });
    assert.equal(part.status().health, 'stopped');
    assert.equal(service.pid, null);
    assert.equal(pidAlive(service.spawns[0]!.pid), false);
    await holdsFor(() => service.spawns.length === 1, 1_000, 'no second start');
  });

  it('a restart that fails is tried again with the backoff, each failure said', async () => {
    const { service, part, lines } = await supervised();
    await part.start();
    const first = service.pid!;
    service.failStarts = 2;
    process.kill(first, 'SIGKILL');
    await backFrom(part, service, first);
    assert.equal(service.spawns.length, 4);
    const gaps = [2, 3].map((i) => service.spawns[i]!.at - service.spawns[i - 1]!.at);
    assert.ok(gaps[1]! > gaps[0]!, `the waits grow: ${gaps.join(', ')} ms`);
    assert.equal(part.status().restarts, 3);
    for (const attempt of [1, 2]) {
      assert.ok(
        lines.some((line) => line.includes(`starting Stand-in again failed (attempt ${attempt}): expected the stand-in to answer`)),
        lines.join('\n'),
      );
    }
  });

  it('a stop during the first start: the process stopped, nothing restarted', async () => {
    const { service, part } = await supervised({}, { script: 'slow-start.mjs', env: { START_DELAY: '60000' } });
    const starting = part.start();
    await waitUntil(() => service.pid, { what: 'the slow stand-in spawned' });
    assert.equal(part.status().health, 'starting');
    const pid = service.pid!;
    await part.stop();
    await starting;
    assert.equal(pidAlive(pid), false);
    assert.equal(part.status().health, 'stopped');
    await holdsFor(() => service.spawns.length === 1, 1_000, 'no second start');
  });

  it('a stop while it runs stops the process and reports stopped', async () => {
    const { service, part } = await supervised();
    await part.start();
    const pid = service.pid!;
    await part.stop();
    assert.equal(pidAlive(pid), false);
    assert.deepEqual(part.status(), { name: 'standin', health: 'stopped', detail: service.describe(), restarts: 0 });
  });
});
