import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { pickChaosVictim } from '../../../src/core/chaos.js';

const inst = (name: string, state: string, pid: number | null = 100) => ({ name, state, pid });

describe('pickChaosVictim', () => {
  const three = [inst('app-1', 'ready'), inst('app-2', 'ready'), inst('app-3', 'ready')];
  const cases: Array<{ name: string; instances: ReturnType<typeof inst>[]; keep: number; random: number; victim: string | null }> = [
    { name: 'picks by the random number', instances: three, keep: 1, random: 0.5, victim: 'app-2' },
    { name: 'random 0.999 picks the last', instances: three, keep: 1, random: 0.999, victim: 'app-3' },
    { name: 'keeps at least keep ready', instances: three, keep: 3, random: 0.1, victim: null },
    {
      name: 'only ready ones count and are picked',
      instances: [inst('app-1', 'starting'), inst('app-2', 'ready'), inst('app-3', 'ready')],
      keep: 1,
      random: 0,
      victim: 'app-2',
    },
    {
      name: 'two ready, keep 2: none',
      instances: [inst('app-1', 'crashed', null), inst('app-2', 'ready'), inst('app-3', 'ready')],
      keep: 2,
      random: 0,
      victim: null,
    },
    { name: 'keep 0 may kill the last one', instances: [inst('app-1', 'ready')], keep: 0, random: 0.3, victim: 'app-1' },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const choice = pickChaosVictim(c.instances, c.keep, c.random);
      assert.equal(choice.victim, c.victim);
      if (c.victim === null) assert.match(choice.reason ?? '', /keeping at least/);
    });
  }
});
