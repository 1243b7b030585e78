#!/usr/bin/env node
// lb-dev benchmarks, side by side with what users would use instead.
//
//   npm run bench                    full run: writes docs/benchmarks.md and docs/bench/*.svg
//   npm run bench -- --quick         a few seconds per scenario, small counts (for CI: keeps
//                                    the benchmarks from rotting); writes nothing unless --out
//   options: --only failover,balanced,throughput,startup,logs,supervisor,flags   --out <dir>
//
// Scenarios (scenarios/*.mjs): failover (the original proposal's static Traefik setup vs
// `lb-dev up`), balanced (one `up` with 5 instances: reaction time to SIGKILL, `lb-dev status`
// vs `node -e 0`, rolling restart, scale 5 -> 2), throughput (req/s through lb-dev's Traefik vs raw
// Traefik with the same servers, autocannon), startup (up -> routed; render + write of the
// dynamic config), logs (4 flooding instances), supervisor (lb-dev vs PM2 6, memory and CPU),
// flags (what V8 flags that would bring `up` to PM2's memory cost in log throughput).
// No figure is asserted: a benchmark reports, it does not pass or fail on time.
// Needs Linux (/proc), a built dist/ (npm run build) and a Traefik v3.6 binary (cached, or
// scripts/provide-traefik.sh --binary). Everything it starts is stopped again, also on failure.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { cleanUpAll } from './lib/cleanup.mjs';
import { gitSha, load1, machine } from './lib/machine.mjs';
import { ensurePm2 } from './lib/pm2.mjs';
import { traefikBinary, traefikVersion } from './lib/traefik.mjs';
import { CLI, ROOT } from './lib/util.mjs';
import { printSummary, writeReport } from './report.mjs';
import { balanced } from './scenarios/balanced.mjs';
import { failover } from './scenarios/failover.mjs';
import { logThroughput } from './scenarios/log-throughput.mjs';
import { startup } from './scenarios/startup.mjs';
import { supervisorCost } from './scenarios/supervisor-cost.mjs';
import { throughput } from './scenarios/throughput.mjs';
import { v8Flags } from './scenarios/v8-flags.mjs';

const SCENARIOS = { failover, balanced, throughput, startup, logs: logThroughput, supervisor: supervisorCost, flags: v8Flags };

const args = process.argv.slice(2);
const value = (name) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : null;
};
const quick = args.includes('--quick');
const only = value('only')?.split(',') ?? Object.keys(SCENARIOS);
const out = value('out') ?? (quick ? null : ROOT);
for (const name of only) {
  if (!SCENARIOS[name]) throw new Error(`--only: expected some of ${Object.keys(SCENARIOS).join(', ')}, got ${name}`);
}
if (process.platform !== 'linux') throw new Error('the benchmarks read /proc: Linux only');
if (!existsSync(CLI)) throw new Error(`no built CLI at ${CLI}: run \`npm run build\` first`);

const started = Date.now();
const binary = traefikBinary();
const run = {
  date: new Date().toISOString(),
  quick,
  machine: machine(),
  versions: { node: process.version, traefik: traefikVersion(binary), lbDev: gitSha(), pm2: only.includes('supervisor') ? ensurePm2() : null },
  results: {},
  loads: {},
  seconds: {},
};
const log = (line) => console.log(`  ${line}`);
console.log(
  `lb-dev bench${quick ? ' --quick' : ''}: ${run.machine.cores} x ${run.machine.cpu}, load ${run.machine.loadavg.join(' ')}; Traefik ${run.versions.traefik} (${binary})`,
);
let failed = false;
try {
  for (const name of only) {
    console.log(`- ${name}`);
    const t0 = Date.now();
    run.loads[name] = load1();
    run.results[name] = await SCENARIOS[name]({ quick, binary, log });
    run.seconds[name] = Math.round((Date.now() - t0) / 100) / 10;
  }
} catch (error) {
  failed = true;
  console.error(`bench failed: ${error.stack ?? error}`);
} finally {
  await cleanUpAll();
}
run.totalSeconds = Math.round((Date.now() - started) / 1000);
printSummary(run);
if (out && !failed) {
  const written = writeReport(run, out);
  console.log(`wrote ${written.map((p) => p.replace(`${ROOT}/`, '')).join(', ')}`);
}
console.log(`total ${run.totalSeconds} s`);
process.exitCode = failed ? 1 : 0;
if (failed && out) console.error(`nothing written to ${join(out, 'docs')}: the run failed`);
