import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Part, PartStatus } from '../../../../src/app/stack/part.js';
import { Stack } from '../../../../src/app/stack/stack.js';

/** A part that records what happens to it in one shared journal; pure logic, so a stand-in is fine. */
function part(name: string, journal: string[], faults: { start?: Error; stop?: Error } = {}): Part {
  let up = false;
  return {
    name,
    async start() {
      journal.push(`start ${name}`);
      if (faults.start) throw faults.start;
      up = true;
    },
    async stop() {
      journal.push(`stop ${name}`);
      up = false;
      if (faults.stop) throw faults.stop;
    },
    status(): PartStatus {
      return { name, health: up ? 'healthy' : 'stopped', detail: '', restarts: 0 };
    },
  };
}

describe('Stack', () => {
  it('starts the parts in their declared order and stops them in reverse', async () => {
    const journal: string[] = [];
    const stack = new Stack(
      ['a', 'b', 'c'].map((n) => part(n, journal)),
      { onStopFailed: () => assert.fail('no stop fails') },
    );
    assert.equal(await stack.start(), true);
    assert.deepEqual(
      stack.status().map((s) => s.health),
      ['healthy', 'healthy', 'healthy'],
    );
    await stack.stop();
    assert.deepEqual(journal, ['start a', 'start b', 'start c', 'stop c', 'stop b', 'stop a']);
    assert.equal(stack.stoppedCleanly(), true);
  });

  it('a part that fails to start is stopped with those before it, the ones after it never start, and the error comes out', async () => {
    const journal: string[] = [];
    const failure = new Error('port taken');
    const stack = new Stack([part('a', journal), part('b', journal, { start: failure }), part('c', journal)], { onStopFailed: () => undefined });
    await assert.rejects(stack.start(), (error) => error === failure);
    assert.deepEqual(journal, ['start a', 'start b', 'stop b', 'stop a']);
  });

  it('a stop that throws is reported, the other parts still stop, and the stack is not clean', async () => {
    const journal: string[] = [];
    const failed: string[] = [];
    const stack = new Stack([part('a', journal), part('b', journal, { stop: new Error('stuck') }), part('c', journal)], {
      onStopFailed: (name, error) => failed.push(`${name}: ${error.message}`),
    });
    await stack.start();
    await Promise.all([stack.stop(), stack.stop()]);
    assert.deepEqual(
      journal.filter((line) => line.startsWith('stop')),
      ['stop c', 'stop b', 'stop a'],
    );
    assert.deepEqual(failed, ['b: stuck']);
    assert.equal(stack.stoppedCleanly(), false);
  });

  it('a shutdown asked for during start-up starts nothing more', async () => {
    const journal: string[] = [];
    let asked = false;
    const parts = [
      part('a', journal),
      {
        ...part('b', journal),
        start: async () => {
          journal.push('start b');
          asked = true;
        },
      },
      part('c', journal),
    ];
    const stack = new Stack(parts, { onStopFailed: () => undefined });
    assert.equal(await stack.start(() => !asked), false);
    await stack.stop();
    assert.deepEqual(journal, ['start a', 'start b', 'stop b', 'stop a']);
  });
});
