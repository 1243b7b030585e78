// Seeded fuzz of the two places lb-dev runs a user's pattern on output lines: ReadinessWatch.line
// (readiness.logPattern, src/app/readiness.ts) and RestartTriggers.line (restartOn.logPattern,
// src/app/restart-triggers.ts). The known ReDoS shapes and seeded mutations of them meet lines of
// 5,000 to 50,000 characters that almost match. The patterns go straight to the runtime, past the
// config check, so that the matching itself is what is tested: each line must be answered (a hang
// is caught by the test runner's --test-timeout, scripts/run-tests.mjs; nothing here is timed),
// and on short lines, where the normal engine is fast, the answer must be the normal engine's.
// Replay a run with LB_DEV_FUZZ_SEED=<seed>.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RestartTriggers } from '../../../src/app/restart-triggers.js';
import type { Instance } from '../../../src/app/instance.js';
import { resolveConfig } from '../../../src/core/config/schema.js';
import type { GroupConfig } from '../../../src/core/config/types.js';
import { FUZZ_SEED, picker } from '../../helpers/fuzz.js';
import { REDOS_SHAPES, type RedosShape, mutateShape, nearMiss, readinessMatches, shortLines } from '../../helpers/redos-shapes.js';

const LONG_LINES = [5_000, 20_000, 50_000];
const MUTATIONS = 40;

const [baseGroup, sourceGroup] = resolveConfig(
  { groups: { replica: { command: 'node -e 0', restartOn: { logFrom: 'dev', logPattern: 'x' } }, dev: { command: 'node -e 0' } } },
  { source: null, overrides: {}, cwd: '/tmp', demoCommand: 'node -e 0' },
).groups as [GroupConfig, GroupConfig];
const devInstance = { name: 'dev-1', group: sourceGroup } as unknown as Instance;

/** Whether one line of dev-1 makes RestartTriggers on `pattern` start a roll of the replicas. */
function restartTriggerMatches(pattern: string, line: string): boolean {
  const group: GroupConfig = { ...baseGroup, restartOn: { ...baseGroup.restartOn, logPattern: pattern } };
  let rolls = 0;
  const triggers = new RestartTriggers({
    groups: [group, sourceGroup],
    members: () => {
      rolls++;
      return [];
    },
    restartRolling: async () => undefined,
    note: () => undefined,
  });
  triggers.line(devInstance, line);
  triggers.close();
  return rolls > 0;
}

const PATHS = [
  ['readiness.logPattern', readinessMatches],
  ['restartOn.logPattern', restartTriggerMatches],
] as const;

function shapes(): RedosShape[] {
  const p = picker(FUZZ_SEED);
  return [...REDOS_SHAPES, ...Array.from({ length: MUTATIONS }, () => mutateShape(p))];
}

for (const [key, matches] of PATHS) {
  test(`${key}: ReDoS shapes and ${MUTATIONS} mutations answer lines of up to 50,000 characters (seed ${FUZZ_SEED})`, () => {
    for (const shape of shapes()) {
      for (const length of LONG_LINES) {
        const line = nearMiss(shape, length);
        assert.equal(typeof matches(shape.pattern, line), 'boolean', `${shape.pattern} on ${length} characters`);
      }
    }
  });

  test(`${key}: on short lines the answers are the normal engine's (seed ${FUZZ_SEED})`, () => {
    let compared = 0;
    for (const shape of shapes()) {
      const normal = new RegExp(shape.pattern);
      for (const line of shortLines(shape)) {
        assert.equal(matches(shape.pattern, line), normal.test(line), `${JSON.stringify(shape.pattern)} on ${JSON.stringify(line)}`);
        compared++;
      }
    }
    assert.ok(compared > 1_000, `${compared} lines compared`);
  });
}
