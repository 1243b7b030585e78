// Log throughput: 4 instances of test/fixtures/flood.mjs (numbered lines, as fast as the pipe
// takes them) under `lb-dev up --traefik external`. Lines/s captured into the log files over a
// window, lines lost (gaps in the numbering across each instance's files), and how much slower
// each instance writes than the same 4 writing into `tail -n 1` (a reader that only drops lines,
// standing in for /dev/null while still telling the last line number).
import { spawn } from 'node:child_process';
import { createReadStream, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { startUntil } from '../lib/lbdev.mjs';
import { FIXTURES, accepts, freePort, round, sleep, waitFor } from '../lib/util.mjs';

const FLOOD = join(FIXTURES, 'flood.mjs');
const INSTANCES = 4;
const MAX_FILES = 5;
const files = (logsDir, name) =>
  [join(logsDir, `${name}.log`), ...Array.from({ length: MAX_FILES }, (_, i) => join(logsDir, `${name}.log.${i + 1}`))].filter(existsSync);

/** The highest line number near the end of an instance's current log file. */
function lastNumber(logsDir, name) {
  const path = join(logsDir, `${name}.log`);
  if (!existsSync(path)) return 0;
  const text = readFileSync(path, 'utf8').slice(-8_000);
  return Math.max(0, ...[...text.matchAll(/ line (\d+) /g)].map((m) => Number(m[1])));
}

/** Lines captured and highest number seen, over every file of the instance. */
async function countAll(logsDir, name) {
  let count = 0;
  let highest = 0;
  for (const path of files(logsDir, name)) {
    for await (const line of createInterface({ input: createReadStream(path) })) {
      const m = / line (\d+) /.exec(line);
      if (!m) continue;
      count++;
      highest = Math.max(highest, Number(m[1]));
    }
  }
  return { count, highest };
}

/** Lines/s captured from INSTANCES flooding instances under `up` (run with `nodeArgs`), and lines lost. */
export async function floodUnderLbDev(windowMs, nodeArgs = []) {
  const { lb, value: status } = await startUntil(
    {
      config: { command: `node ${FLOOD}`, instances: INSTANCES, logs: { maxFileSize: '200MB', maxFiles: MAX_FILES } },
      traefik: { mode: 'external' },
      nodeArgs,
      label: 'lb-dev up (log flood)',
    },
    (started) => started.allReady(INSTANCES),
  );
  try {
    const names = status.instances.map((i) => i.name);
    await sleep(1_000);
    const before = names.map((n) => lastNumber(lb.logsDir, n));
    const t0 = performance.now();
    await sleep(windowMs);
    const after = names.map((n) => lastNumber(lb.logsDir, n));
    const seconds = (performance.now() - t0) / 1000;
    lb.up.kill('SIGINT');
    await lb.exited;
    let captured = 0;
    let lost = 0;
    for (const name of names) {
      const { count, highest } = await countAll(lb.logsDir, name);
      captured += count;
      lost += highest - count;
    }
    const perInstance = after.map((a, i) => (a - before[i]) / seconds);
    return { linesPerSec: perInstance.reduce((a, b) => a + b, 0), perInstance, captured, lost };
  } finally {
    await lb.stop();
  }
}

async function intoTail(windowMs) {
  const runs = await Promise.all(
    Array.from({ length: INSTANCES }, async (_, i) => {
      const port = await freePort();
      const tail = spawn('tail', ['-n', '1'], { stdio: ['pipe', 'pipe', 'ignore'] });
      const flood = spawn(process.execPath, [FLOOD], {
        env: { ...process.env, PORT: String(port), LB_DEV_INSTANCE: `null-${i + 1}` },
        stdio: ['ignore', tail.stdin, 'ignore'],
      });
      tail.stdin.destroy(); // the flood's copy is the only writer now
      let last = '';
      tail.stdout.on('data', (d) => {
        last += d;
      });
      const tailDone = new Promise((r) => tail.once('exit', r));
      try {
        await waitFor('a flood instance to listen', () => accepts(port), 10_000, 5);
        const t0 = performance.now();
        await sleep(windowMs);
        flood.kill('SIGTERM');
        const seconds = (performance.now() - t0) / 1000;
        await tailDone;
        return Number(/ line (\d+) /.exec(last)?.[1] ?? 0) / seconds;
      } finally {
        flood.kill('SIGKILL');
        tail.kill('SIGKILL');
      }
    }),
  );
  return { linesPerSec: runs.reduce((a, b) => a + b, 0), perInstance: runs };
}

export async function logThroughput({ quick, log }) {
  const windowMs = quick ? 2_000 : 10_000;
  const lbDev = await floodUnderLbDev(windowMs);
  const baseline = await intoTail(windowMs);
  const result = {
    instances: INSTANCES,
    windowMs,
    linesPerSec: Math.round(lbDev.linesPerSec),
    captured: lbDev.captured,
    lost: lbDev.lost,
    baselineLinesPerSec: Math.round(baseline.linesPerSec),
    slowdownPercent: round((1 - lbDev.linesPerSec / baseline.linesPerSec) * 100),
  };
  log(
    `logs: ${result.linesPerSec} lines/s captured (4 instances), ${result.lost} lost of ${result.captured}; into tail: ${result.baselineLinesPerSec} lines/s (instances ${result.slowdownPercent}% slower under lb-dev)`,
  );
  return result;
}
