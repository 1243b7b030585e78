// Seeded fuzz of LB_DEV_CONTROL_TIMEOUT: random values - digits of every length, leading zeros,
// signs, fractions, units, exponents, hex, spaces, non-ASCII digits, the range's edges - are
// either taken (a whole number of ms from 100 to 2^31-1, as written) or USAGE naming the
// variable, the value and what is accepted; never another error. Then the built CLI with some of
// them: `lb-dev status` with no `up` is USAGE (exit 2) for a bad value and NOT_RUNNING (exit 3)
// for a good one; against a socket that never answers, a good small value is CONTROL_TIMEOUT
// (exit 3) after that long. Never a stack trace, INTERNAL or a hang. Replay with LB_DEV_FUZZ_SEED.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { type Socket, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { CONTROL_TIMEOUT_EXPECTED, parseControlTimeout } from '../../../src/core/control-timeout.js';
import { isLbDevError } from '../../../src/core/errors.js';
import { formatDuration } from '../../../src/core/text/duration.js';
import { FUZZ_SEED, type Picker, Tally, picker } from '../../helpers/fuzz.js';
import { ROOT } from '../../helpers/lb-dev/index.js';

const PURE_CASES = 5_000;
const CLI_CASES = 48;
const PARALLEL = 4;
const MAIN = join(ROOT, 'dist', 'cli', 'main.js');
const dirs: string[] = [];
after(() => Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true }))));

function value(p: Picker): string {
  const digits = (n: number) => Array.from({ length: n }, () => String(p.int(10))).join('');
  switch (p.int(12)) {
    case 0:
      return p.pick(['', ' ', '\t', '0', '99', '100', '101', '2147483646', '2147483647', '2147483648', '4294967296', '9'.repeat(30)]);
    case 1:
      return `${p.pick(['-', '+', ''])}${digits(1 + p.int(6))}`;
    case 2:
      return `${digits(1 + p.int(5))}${p.pick(['ms', 's', 'm', 'h', ' ms', 'S'])}`;
    case 3:
      return `${digits(1 + p.int(4))}.${digits(1 + p.int(3))}`;
    case 4:
      return p.pick(['1e4', '1E3', '0x1000', '0b101', '0o777', '1_000', 'NaN', 'Infinity', '-Infinity', 'null', 'true', '١٠٠٠', '５００', '10 000']);
    case 5:
      return `${p.pick(['', ' ', '  ', '\t'])}${digits(3 + p.int(4))}${p.pick(['', ' ', '\t'])}`;
    case 6:
      return `0${'0'.repeat(p.int(20))}${digits(1 + p.int(5))}`;
    case 7:
      return 'x'.repeat(p.pick([1, 41, 500]));
    default:
      return digits(1 + p.int(12));
  }
}

/** The oracle: the variable is taken iff it is, trimmed, ASCII digits whose number is from 100 to 2^31-1. */
function wanted(raw: string): number | 'usage' {
  const text = raw.trim();
  if (text === '') return 10_000;
  if (!/^[0-9]+$/.test(text)) return 'usage';
  const ms = Number(text);
  return ms >= 100 && ms <= 2 ** 31 - 1 ? ms : 'usage';
}

test(`parseControlTimeout: ${PURE_CASES} random values are taken as written or USAGE saying what is accepted (seed ${FUZZ_SEED})`, (t) => {
  const p = picker(FUZZ_SEED);
  const tally = new Tally();
  for (let i = 0; i < PURE_CASES; i++) {
    const raw = value(p);
    const want = wanted(raw);
    const what = `LB_DEV_CONTROL_TIMEOUT=${JSON.stringify(raw)} (LB_DEV_FUZZ_SEED=${FUZZ_SEED})`;
    let got: number | 'usage';
    try {
      got = parseControlTimeout(raw);
    } catch (error) {
      assert.ok(isLbDevError(error) && error.code === 'USAGE', `${what}: ${String(error)}`);
      assert.ok(error.message.startsWith(`LB_DEV_CONTROL_TIMEOUT: expected ${CONTROL_TIMEOUT_EXPECTED}, got "`), `${what}: ${error.message}`);
      assert.ok(error.message.length < 220, `${what}: a short message`);
      got = 'usage';
    }
    assert.equal(got, want, what);
    tally.add(got === 'usage' ? 'usage' : 'taken');
  }
  t.diagnostic(`control timeout fuzz (seed ${FUZZ_SEED}): ${tally}`);
});

interface Outcome {
  code: number | null;
  stderr: string;
  ms: number;
}

function status(stateDir: string, raw: string): Promise<Outcome> {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [MAIN, 'status', '--state-dir', stateDir], {
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, NO_COLOR: '1', LB_DEV_CONTROL_TIMEOUT: raw },
    });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => {
      stderr += c.toString('utf8');
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr, ms: Date.now() - started });
    });
  });
}

/** A control socket that accepts and never answers: a frozen `up` as its clients see it. */
async function silentSocket(dir: string): Promise<() => Promise<void>> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.resume();
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(join(dir, 'lb-dev.sock'), resolve));
  return async () => {
    for (const s of sockets) s.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
}

test(`built CLI: ${CLI_CASES} random LB_DEV_CONTROL_TIMEOUT values end in USAGE, NOT_RUNNING or CONTROL_TIMEOUT (seed ${FUZZ_SEED})`, async (t) => {
  assert.ok(existsSync(MAIN), `expected a build at ${MAIN}: run \`npm run build\` first`);
  const empty = await mkdtemp(join(tmpdir(), 'lbdt-fuzz-ct-'));
  const frozen = await mkdtemp(join(tmpdir(), 'lbdt-fuzz-ct-'));
  dirs.push(empty, frozen);
  const stop = await silentSocket(frozen);
  t.after(stop);
  const p = picker(FUZZ_SEED + 1);
  // Some values small enough to wait for against the silent socket.
  const cases = Array.from({ length: CLI_CASES }, (_, i) => (i % 4 === 0 ? String(100 + p.int(1_400)) : value(p)));
  const tally = new Tally();
  let next = 0;
  await Promise.all(
    Array.from({ length: PARALLEL }, async () => {
      while (next < cases.length) {
        const raw = cases[next++]!;
        const want = wanted(raw);
        const againstSilent = want !== 'usage' && want <= 1_500;
        const out = await status(againstSilent ? frozen : empty, raw);
        const what = `LB_DEV_CONTROL_TIMEOUT=${JSON.stringify(raw)} (LB_DEV_FUZZ_SEED=${FUZZ_SEED}) -> exit ${out.code}\n${out.stderr.slice(0, 1000)}`;
        assert.doesNotMatch(out.stderr, /^\s+at .+:\d+:\d+\)?$/m, `stack trace: ${what}`);
        assert.doesNotMatch(out.stderr, /\[INTERNAL\]/, what);
        if (want === 'usage') {
          assert.equal(out.code, 2, what);
          assert.match(out.stderr, /LB_DEV_CONTROL_TIMEOUT: expected a whole number of milliseconds from 100 to 2147483647 .*, got ".*" \[USAGE\]/, what);
          tally.add('USAGE');
        } else if (againstSilent) {
          assert.equal(out.code, 3, what);
          assert.ok(out.stderr.includes(`lb-dev up did not answer \`status\` within ${formatDuration(want)} [CONTROL_TIMEOUT]`), what);
          tally.add('CONTROL_TIMEOUT');
        } else {
          assert.equal(out.code, 3, what);
          assert.match(out.stderr, /\[NOT_RUNNING\]/, what);
          tally.add('NOT_RUNNING');
        }
      }
    }),
  );
  const report = `control timeout CLI fuzz (seed ${FUZZ_SEED}): ${tally.total} runs: ${tally}`;
  t.diagnostic(report);
  console.log(`[fuzz] ${report}`);
});
