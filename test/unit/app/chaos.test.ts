import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type ChaosEvent, runChaos } from '../../../src/app/chaos.js';

test('runChaos kills only while more than `keep` are ready, reports each step, and stops on abort', async () => {
  const instances = [
    { name: 'app-1', state: 'ready', pid: 1 },
    { name: 'app-2', state: 'ready', pid: 2 },
    { name: 'app-3', state: 'ready', pid: 3 },
  ];
  const events: ChaosEvent[] = [];
  const stop = new AbortController();
  const kills = await runChaos(
    { intervalMs: 1, keep: 1, signal: 'SIGKILL' },
    {
      instances: async () => instances,
      kill: async (name) => {
        const victim = instances.find((i) => i.name === name)!;
        victim.state = 'crashed';
        return { instance: name, pid: victim.pid };
      },
    },
    stop.signal,
    (event) => {
      events.push(event);
      if (event.event === 'skip') stop.abort();
    },
  );
  assert.equal(kills, 2);
  assert.deepEqual(
    events.map((e) => e.event),
    ['start', 'kill', 'kill', 'skip', 'stop'],
  );
  assert.deepEqual(events.at(-1), { event: 'stop', kills: 2 });
  assert.equal(instances.filter((i) => i.state === 'ready').length, 1);
});
