// What meeting PM2's memory would cost: `lb-dev up` under V8 flags that shrink its heap, each
// measured for memory (10 idle instances, as in the supervisor cost) and for log throughput
// (4 flooding instances, as in the log throughput). lb-dev ships with none of them: this is the
// trade-off, measured, not a recommendation.
import { floodUnderLbDev } from './log-throughput.mjs';
import { lbDevCost } from './supervisor-cost.mjs';
import { round } from '../lib/util.mjs';

const VARIANTS = [
  { flags: [], what: 'none (as shipped)' },
  { flags: ['--max-semi-space-size=1'], what: 'a 1 MB young generation (default: grows to 16 MB)' },
  { flags: ['--max-semi-space-size=1', '--no-opt'], what: 'and no optimising compiler' },
  { flags: ['--max-semi-space-size=1', '--lite-mode'], what: 'and no compilers, no feedback (interpreter only)' },
];

export async function v8Flags({ quick, binary, log }) {
  const windowMs = quick ? 2_000 : 10_000;
  const rows = [];
  for (const variant of quick ? VARIANTS.slice(0, 2) : VARIANTS) {
    const cost = await lbDevCost(binary, 10, 0, windowMs, variant.flags);
    const flood = await floodUnderLbDev(windowMs, variant.flags);
    const row = { flags: variant.flags, what: variant.what, rssMb: round(cost.rssMb), floodLinesPerSec: Math.round(flood.linesPerSec), lost: flood.lost };
    log(`v8 flags [${variant.flags.join(' ') || 'none'}]: ${row.rssMb} MB with 10 idle instances; flood ${row.floodLinesPerSec} lines/s, ${row.lost} lost`);
    rows.push(row);
  }
  return { windowMs, rows };
}
