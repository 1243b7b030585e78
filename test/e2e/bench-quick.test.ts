/**
 * `npm run bench -- --quick` end to end, so that the benchmarks never rot: every scenario runs
 * (the original proposal's Traefik setup and lb-dev side by side, reaction to SIGKILL, status,
 * rolling restart and scale, start-up, log flood, lb-dev beside PM2) and the report it writes
 * holds every section with a figure in each cell. No time is asserted: a benchmark reports.
 * What is asserted is what a broken benchmark shows: a failed run, a missing section, a figure
 * that came out empty (null, NaN, or n = 0 samples), failed requests on a rolling restart or a
 * scale-down, or a failover of lb-dev worse than the static setup it replaces.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { traefikBinaryGate } from '../helpers/e2e-gate.js';
import { ROOT } from '../helpers/lb-dev/cli.js';

const gate = await traefikBinaryGate();
const SECTIONS = [
  '## Summary',
  '## Failover: the original proposal',
  '## Reaction time to a crash',
  '## Rolling restart and scale under load',
  '## The second-terminal command',
  '## Supervisor cost: lb-dev vs PM2',
  "## What PM2's memory would cost: V8 flags",
  '## Log throughput',
  '## Start-up and route rendering',
];

describe('npm run bench -- --quick', { skip: gate.skip || false }, () => {
  let out: string;
  after(() => (out ? rm(out, { recursive: true, force: true }) : undefined));

  it('runs every scenario and writes a report with every figure filled in', { timeout: 15 * 60_000 }, async (t) => {
    out = await mkdtemp(join(tmpdir(), 'lb-dev-bench-'));
    const child = spawn(process.execPath, [join(ROOT, 'scripts', 'bench', 'main.mjs'), '--quick', '--out', out], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    const code = await new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
    t.diagnostic(output.slice(output.indexOf('\nfigure')));
    assert.equal(code, 0, output.slice(-4000));

    const report = join(out, 'docs', 'benchmarks.md');
    assert.ok(existsSync(report), `expected ${report}`);
    const md = readFileSync(report, 'utf8');
    for (const section of SECTIONS) assert.ok(md.includes(section), `section "${section}" in the report`);
    for (const chart of ['failover-round-robin', 'failover-sticky', 'supervisor-memory', 'supervisor-cpu']) {
      assert.ok(existsSync(join(out, 'docs', 'bench', `${chart}.svg`)), `chart ${chart}.svg`);
    }
    const tableRows = md.split('\n').filter((line) => line.startsWith('| ') && !line.startsWith('| ---'));
    const empty = tableRows.filter((row) => /\bnull\b|\bNaN\b|\bundefined\b/.test(row));
    assert.deepEqual(empty, [], 'every table cell holds a figure');

    const summary = (name: RegExp) => tableRows.find((row) => name.test(row)) ?? assert.fail(`summary row ${name}`);
    assert.match(summary(/4 flooding instances/), /\| \d+ lines\/s, \d+ lost, /, 'lines captured and lost, counted');
    assert.match(summary(/rolling restart \/ scale/), /\| 0 of \d+ \/ 0 of \d+ \|/, 'no failed request on a rolling restart or a scale-down');
    const failed = (setup: RegExp) => Number(/\| (\d+) of \d+,/.exec(summary(setup))?.[1]);
    assert.ok(
      failed(/failover B: lb-dev up, no cookie/) < failed(/failover A: original proposal, no cookie/),
      'lb-dev fails fewer requests than the static setup',
    );
  });
});
