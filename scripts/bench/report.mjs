// The run's figures: a summary on the console, and docs/benchmarks.md with its SVG charts.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { barsSvg, timelineSvg } from './lib/svg.mjs';

const setupName = (r) => `${r.variant === 'A' ? 'A: original proposal' : 'B: lb-dev up'}, ${r.sticky ? 'sticky cookie kept' : 'no cookie'}`;
const table = (head, rows) => [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');

/** The headline figures, one line each. */
function headline(run) {
  const lines = [];
  const { failover, balanced, supervisor, logs, startup, throughput } = run.results;
  const idle10 = supervisor?.rows.find((r) => r.instances === 10 && r.load === 'idle');
  if (idle10)
    lines.push([
      'supervisor, 10 instances idle: lb-dev up / PM2 God daemon',
      `${idle10.lbDev.rssMb} MB, ${idle10.lbDev.cpuPercent} % CPU / ${idle10.pm2.rssMb} MB, ${idle10.pm2.cpuPercent} % CPU`,
      idle10.loadavg,
    ]);
  if (balanced) {
    const s = balanced.statusCli;
    lines.push([
      '`lb-dev status` vs `node -e 0` (time, max RSS)',
      `${s.status.ms} ms / ${s.node.ms} ms = x${s.timeRatio}; ${s.status.rssMb} MB / ${s.node.rssMb} MB = x${s.rssRatio}`,
      run.loads.balanced,
    ]);
    const c = balanced.reaction.killToRename;
    const bare = balanced.reaction.bareKillToExit;
    lines.push([
      `SIGKILL -> route out of the config (${c.n} kills; the exit alone, bare parent)`,
      `p50 ${c.p50} ms, p95 ${c.p95} ms (p50 ${bare.p50} ms, p95 ${bare.p95} ms)`,
      run.loads.balanced,
    ]);
    const k = balanced.reaction.killToApiGone;
    lines.push([`SIGKILL -> route gone from Traefik's API (${k.n} kills)`, `p50 ${k.p50} ms, p95 ${k.p95} ms, max ${k.max} ms`, run.loads.balanced]);
    lines.push([
      'rolling restart / scale 5 -> 2: failed requests',
      `${balanced.rolling.failed} of ${balanced.rolling.sent} / ${balanced.scale.failed} of ${balanced.scale.sent}`,
      run.loads.balanced,
    ]);
  }
  for (const r of (throughput?.rows ?? []).filter((r) => r.setup.startsWith('lb-dev up, defaults'))) {
    lines.push([`throughput: ${r.setup}, of raw Traefik`, `${r.rps} req/s, ${r.ofRaw} %`, r.load]);
  }
  for (const r of failover?.runs ?? []) {
    lines.push([`failover ${setupName(r)}: failed, failure window`, `${r.failed} of ${r.sent}, ${r.failureWindowMs} ms`, r.load]);
  }
  if (logs)
    lines.push([
      '4 flooding instances: captured, lost, slowed',
      `${logs.linesPerSec} lines/s, ${logs.lost} lost, ${logs.slowdownPercent} % slower than into tail`,
      run.loads.logs,
    ]);
  for (const r of startup?.rows ?? [])
    lines.push([`up -> ${r.instances} routed, minus the app's own start`, `${r.upMs} - ${r.appMs} = ${r.overheadMs} ms`, run.loads.startup]);
  return lines;
}

export function printSummary(run) {
  const lines = headline(run);
  if (lines.length === 0) return;
  const width = Math.max(...lines.map(([k]) => k.length));
  console.log('\nfigure'.padEnd(width + 1), ' value  (load average 1 min)');
  for (const [k, v, load] of lines) console.log(`${k.padEnd(width)}  ${v}  (${load})`);
}

function failoverSection(f, svgs) {
  const rows = f.runs.map((r) => [
    setupName(r),
    r.sent,
    r.failed,
    `${r.failureWindowMs} ms`,
    r.firstFailureMs ?? '-',
    `${r.p50Ms} / ${r.p99Ms} ms`,
    JSON.stringify(r.reasons).replace(/"/g, ''),
    r.load,
  ]);
  for (const sticky of [false, true]) {
    const runs = f.runs.filter((r) => r.sticky === sticky);
    const name = `failover-${sticky ? 'sticky' : 'round-robin'}.svg`;
    svgs[name] = timelineSvg(
      `SIGKILL of 1 of 3 instances under load, ${sticky ? 'clients keep the sticky cookie' : 'clients send no cookie'}`,
      runs.map((r) => ({ title: setupName(r), ...r.timeline, markIndex: r.killAt / r.timeline.bucketMs })),
    );
  }
  return `## Failover: the original proposal's static setup (A) vs \`lb-dev up\` (B)

The same Traefik binary, 3 demo instances each, ${f.clients} keep-alive clients on \`GET /api/info\`
(127.0.0.1, ${f.pauseMs} ms pause between requests), load for ${f.beforeMs / 1000} s, then \`SIGKILL\` of every
process of instance 2 (its process group), then ${f.afterMs / 1000} s more. A is PR #36816's setup rebuilt on free
ports: a static list of 3 servers, sticky cookie \`rocketchat-server\`, health check \`/api/info\` every
30 s with a 5 s timeout, no retry, default throttle (2 s); nothing restarts the dead instance.
B is \`lb-dev up\` with its defaults (readiness on \`/api/info\`). A failure is a 5xx or no answer.

${table(['setup', 'sent', 'failed', 'failure window (first to last)', 'first failure after kill (ms)', 'latency p50 / p99', 'failures by reason', 'load'], rows)}

![round robin](bench/failover-round-robin.svg)

![sticky](bench/failover-sticky.svg)
`;
}

function balancedSection(b) {
  const r = b.reaction;
  const row = (name, s) => [name, s.n, s.p50, s.p95, s.max];
  const s = b.statusCli;
  return `## Reaction time to a crash (lb-dev, ${b.instances} instances, Traefik binary)

${r.kills} kills, one instance at a time (its process group), each back and listed before the next.
Kill -> renamed is seen with \`fs.watch\` on Traefik's dynamic dir (this process does nothing else
until then); exit seen -> renamed is lb-dev's own figure (lb-dev.log, 1 ms resolution); then
Traefik's API is polled every 5 ms. The first row is no lb-dev at all: the same demo process
SIGKILLed under a bare Node parent, i.e. how long the kernel takes to tear a ~50 MB Node process
down before its parent can be told. lb-dev cannot see an exit sooner than that.

${table(
  ['step', 'n', 'p50 ms', 'p95 ms', 'max ms'],
  [
    row("kill -> exit seen, bare Node parent (the kernel's part; no lb-dev)", r.bareKillToExit),
    row('**kill -> config renamed (lb-dev)**', r.killToRename),
    row('exit seen -> config renamed (lb-dev.log)', r.exitToRename),
    row("renamed -> gone from Traefik's API", r.renameToApiGone),
    row("**kill -> gone from Traefik's API**", r.killToApiGone),
  ],
)}

## Rolling restart and scale under load

${table(
  ['action', 'sent', 'failed', 'took', 'latency p50 / p99'],
  [
    [
      `\`restart --all --rolling\` (${b.instances} instances)`,
      b.rolling.sent,
      b.rolling.failed,
      `${b.rolling.actionMs} ms`,
      `${b.rolling.p50Ms} / ${b.rolling.p99Ms} ms`,
    ],
    [`\`scale 2\` (${b.instances} -> 2)`, b.scale.sent, b.scale.failed, `${b.scale.actionMs} ms`, `${b.scale.p50Ms} / ${b.scale.p99Ms} ms`],
  ],
)}

## The second-terminal command

Median of ${s.runs}: wall time and max RSS of \`lb-dev status\` against the running \`up\`, and of \`node -e 0\`.

${table(
  ['command', 'wall time', 'max RSS'],
  [
    ['`lb-dev status`', `${s.status.ms} ms`, `${s.status.rssMb} MB`],
    ['`node -e 0`', `${s.node.ms} ms`, `${s.node.rssMb} MB`],
    ['ratio', `x${s.timeRatio}`, `x${s.rssRatio}`],
  ],
)}
`;
}

function supervisorSection(sv, svgs) {
  const rows = sv.rows.map((r) => [
    r.instances,
    r.load === 'idle' ? 'idle' : `${sv.logRate} lines/s each`,
    `${r.lbDev.rssMb} MB${r.lbDev.watchdogRssMb ? ` (watchdog ${r.lbDev.watchdogRssMb})` : ''}`,
    `${r.lbDev.cpuPercent} %`,
    `${r.pm2.rssMb} MB`,
    `${r.pm2.cpuPercent} %`,
    r.loadavg,
  ]);
  const label = (r) => `${r.instances} inst., ${r.load}`;
  svgs['supervisor-memory.svg'] = barsSvg(
    'Supervisor resident memory (VmRSS)',
    'MB',
    sv.rows.map((r) => ({
      label: label(r),
      values: [
        { name: 'lb-dev up', value: r.lbDev.rssMb },
        { name: 'PM2 daemon', value: r.pm2.rssMb },
      ],
    })),
  );
  svgs['supervisor-cpu.svg'] = barsSvg(
    'Supervisor CPU (% of one core)',
    '%',
    sv.rows.map((r) => ({
      label: label(r),
      values: [
        { name: 'lb-dev up', value: r.lbDev.cpuPercent },
        { name: 'PM2 daemon', value: r.pm2.cpuPercent },
      ],
    })),
  );
  return `## Supervisor cost: lb-dev vs PM2

The same N copies of \`scripts/bench/fixtures/chatty.mjs\` (an HTTP server; under log load it prints
${sv.logRate} lines/s), supervised by \`lb-dev up\` in its default configuration (\`--traefik binary\`: access log,
dashboard and metrics endpoint on; Traefik's own process is not in the figures) or by
PM2's God daemon (fork mode, \`autorestart\`). VmRSS after, and CPU (utime+stime from /proc) over,
a window (${sv.windows.idle / 1000} s idle, ${sv.windows.logs / 1000} s under log load) that starts ${sv.settleMs / 1000} s after all are up. Only the supervisor is counted (for lb-dev:
\`up\`, plus its lifeline watchdog process if it runs one), not the instances.

${table(['instances', 'load', 'lb-dev RSS', 'lb-dev CPU', 'PM2 RSS', 'PM2 CPU', 'load avg'], rows)}

![memory](bench/supervisor-memory.svg)

![cpu](bench/supervisor-cpu.svg)
`;
}

function v8FlagsSection(v, supervisor) {
  const pm2 = supervisor?.rows.find((r) => r.instances === 10 && r.load === 'idle')?.pm2.rssMb;
  return `## What PM2's memory would cost: V8 flags

\`lb-dev up\` run under V8 flags that shrink its heap: VmRSS of \`up\` and its watchdog with 10
idle instances (as above), and lines/s captured from 4 flooding instances (as below), over
${v.windowMs / 1000} s each. lb-dev ships with none of them.${pm2 ? ` PM2's daemon in the same run: ${pm2} MB.` : ''}

${table(
  ['node flags for `up`', 'what they do', 'RSS, 10 idle instances', 'flood: lines/s captured', 'lines lost'],
  v.rows.map((r) => [r.flags.length ? `\`${r.flags.join(' ')}\`` : '(none)', r.what, `${r.rssMb} MB`, r.floodLinesPerSec, r.lost]),
)}
`;
}

function logsSection(l) {
  return `## Log throughput

${l.instances} instances of \`test/fixtures/flood.mjs\` (numbered lines, as fast as the pipe takes them) under
\`lb-dev up --traefik external\`, over ${l.windowMs / 1000} s; then the same ${l.instances} writing into \`tail -n 1\`
(a reader that drops everything: the /dev/null baseline that still tells the last line number).

${table(
  ['figure', 'value'],
  [
    ['lines/s captured into the log files (all instances)', l.linesPerSec],
    ['lines lost (gaps in the numbering, whole run)', `${l.lost} of ${l.captured}`],
    ['lines/s into `tail -n 1`', l.baselineLinesPerSec],
    ['instances slowed by lb-dev', `${l.slowdownPercent} %`],
  ],
)}
`;
}

function throughputSection(t) {
  return `## Throughput: the balancer against raw Traefik

autocannon ${t.autocannon}, ${t.connections} keep-alive clients without cookies, GET \`/api/info\` of the demo app,
${t.rounds} rounds of ${t.seconds} s; the setups take turns within each round, and each figure is a setup's median.
Raw Traefik is the same binary in front of ${t.instances} demo instances started by hand, with nothing but a
router (no middlewares, sticky cookie, health checks, access log or metrics; the instances' output goes to
a file). lb-dev runs the same ${t.instances} through \`up --traefik binary\`. "app quiet" rows ask \`/api/info?quiet\`,
which the demo app does not log: without the one output line per request that lb-dev reads, stores and prints.
"of raw" compares with raw Traefik on the same path.

${table(
  ['setup', 'req/s (median)', 'range', 'of raw', 'p99', 'errors', 'load avg'],
  t.rows.map((r) => [r.setup, r.rps, `${r.range[0]}-${r.range[1]}`, r.ofRaw === null ? '' : `${r.ofRaw} %`, `${r.p99} ms`, r.errors, r.load]),
)}

What the difference is made of (raw Traefik experiments, same machine, 6 s runs): the JSON access log as
lb-dev writes it (two fields, buffered) ~14 %, the full JSON line ~30 %; Traefik's Prometheus metrics
(off unless \`--monitoring\` or \`traefik.metrics\`) ~13 %; the retry middleware, the sticky cookie and the
health checks the rest of the "app quiet, accessLog false" gap. lb-dev keeps them: they are what
failover and stickiness are made of (docs/failover.md).
`;
}

function startupSection(s) {
  return `## Start-up and route rendering

\`lb-dev up\` (Traefik binary, demo app) until Traefik's API lists every instance, against the same
number of demo processes started at once by hand until each answers \`/api/info\`.

${table(
  ['instances', 'up -> routed', 'the app alone', "lb-dev's share"],
  s.rows.map((r) => [r.instances, `${r.upMs} ms`, `${r.appMs} ms`, `${r.overheadMs} ms`]),
)}

One route change (median of ${s.render.iterations}): \`renderDynamicConfig\` + \`dynamicConfigText\`, then
\`DynamicConfigWriter.write\` (temp file, then renamed into the watched dir).

${table(
  ['servers', 'render', 'write'],
  s.render.rows.map((r) => [r.servers, `${r.renderMs} ms`, `${r.writeMs} ms`]),
)}
`;
}

/** Writes docs/benchmarks.md and docs/bench/*.svg under `root`; returns the paths. */
export function writeReport(run, root) {
  const svgs = {};
  const m = run.machine;
  const v = run.versions;
  const { failover, balanced, supervisor, flags, logs, startup, throughput } = run.results;
  const sections = [
    failover && failoverSection(failover, svgs),
    balanced && balancedSection(balanced),
    throughput && throughputSection(throughput),
    supervisor && supervisorSection(supervisor, svgs),
    flags && v8FlagsSection(flags, supervisor),
    logs && logsSection(logs),
    startup && startupSection(startup),
  ].filter(Boolean);
  const md = `# Benchmarks

Generated by \`npm run bench\` ([scripts/bench/main.mjs](../scripts/bench/main.mjs)) on ${run.date.slice(0, 16).replace('T', ' ')} UTC${run.quick ? ' with --quick' : ''}, in ${run.totalSeconds} s.
The figures are from one run on a shared machine: other work ran beside it, so read them as orders
of magnitude, with the 1-minute load average next to each. No figure here is asserted by a test;
CI runs \`npm run bench -- --quick\` (test/e2e/bench-quick.test.ts) so that the benchmark itself keeps working.

- Machine: ${m.cores} x ${m.cpu}, ${m.memoryGb} GB, ${m.kernel}; load average at the start ${m.loadavg.join(' ')}
- Versions: Node ${v.node}, Traefik ${v.traefik}, lb-dev ${v.lbDev}${v.pm2 ? `, PM2 ${v.pm2}` : ''}

## Summary

${table(['figure', 'value', 'load avg'], headline(run))}

${sections.join('\n')}
## Reproduce

\`\`\`sh
npm run build
npm run bench                   # everything; writes this page and docs/bench/*.svg
npm run bench -- --quick        # seconds per scenario, small counts; writes nothing (or --out <dir>)
npm run bench -- --only failover,supervisor
node scripts/bench/profile.mjs  # where the idle supervisor's CPU and memory go (--cpu-prof, heap snapshot)
\`\`\`
`;
  const docs = join(root, 'docs');
  mkdirSync(join(docs, 'bench'), { recursive: true });
  const written = [join(docs, 'benchmarks.md')];
  writeFileSync(written[0], md);
  for (const [name, text] of Object.entries(svgs)) {
    writeFileSync(join(docs, 'bench', name), text);
    written.push(join(docs, 'bench', name));
  }
  return written;
}
