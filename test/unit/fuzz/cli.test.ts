// Seeded fuzz of the BUILT command line (dist/cli/main.js, as users run it): hundreds of
// argument lists for the commands that start nothing long-running (status, logs, kill, stop,
// start, restart, scale, chaos, down, config, help, init) and `up` with at least one invalid
// flag, run in a fresh empty directory where no `up` runs (`init`, which writes files, each in a
// directory of its own: empty, or with a package.json, a broken one, or a config already there). Each must end, within a timeout, in a
// clean success or a coded error (`lb-dev: error ... [CODE]` with the exit status
// src/core/errors.ts gives CODE), never a stack trace, INTERNAL or a hang, and leave no
// process behind. Replay a run with LB_DEV_FUZZ_SEED=<seed>. Needs a build (`npm run build`).
// (Control messages: test/unit/control/server-fuzz.test.ts; configs: config.test.ts here.)
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { listPids, readEnviron } from '../../../src/adapters/process/proc.js';
import { ERROR_CODES, type ErrorCode } from '../../../src/core/errors.js';
import { FUZZ_SEED, type Picker, Tally, picker } from '../../helpers/fuzz.js';
import { ROOT } from '../../helpers/lb-dev/index.js';

const CASES = 220;
const PARALLEL = 4;
const TIMEOUT_MS = 20_000;
const MAIN = join(ROOT, 'dist', 'cli', 'main.js');
const MARKER = `LB_DEV_FUZZ_MARKER=${randomUUID()}`;
const dirs: string[] = [];
after(() => Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true }))));

/** Arguments that are wrong, odd or right for most places. */
function oddArg(p: Picker): string {
  return p.pick([
    '2',
    'app-2',
    '0',
    '-1',
    '65',
    '99999999999999999999',
    '1.5',
    '',
    ' ',
    'app-',
    'traefik',
    'lb-dev',
    'é✓',
    '--',
    '-',
    '10s',
    '0ms',
    '1000h',
    `${'9'.repeat(400)}s`,
    'SIGKILL',
    'SIGNOPE',
    'kill',
    '$(id)',
    '../../etc/passwd',
    'x'.repeat(p.pick([10, 5_000, 100_000])),
    '{"id":1}',
    'null',
    '\u2028',
    '\t',
  ]);
}

const FLAGS: Record<string, string[]> = {
  status: ['--json', '--watch', '-w'],
  logs: ['-f', '--follow', '-n', '--lines', '--since', '-t', '--timestamps', '--json'],
  kill: ['--random', '-s', '--signal', '--json'],
  stop: ['--json'],
  start: ['--json'],
  restart: ['--all', '--rolling', '--drain', '--json'],
  scale: ['--group', '--drain', '--no-wait', '--json'],
  chaos: ['--interval', '-s', '--signal', '--duration', '--keep', '--json'],
  down: [],
  config: ['--json', '-n', '--instances', '--command', '--port', '--traefik'],
  up: ['-n', '--instances', '--command', '--port', '--host', '--traefik'],
  init: ['--preset', '--mode', '-n', '--instances', '--mongo-url', '--force', '--add-script'],
};
/** Values `init` takes, good and bad, beside the odd ones. */
const INIT_VALUES = ['rocketchat', 'generic', 'replicas', 'independent', 'mongodb://127.0.0.1:27017/rc?replicaSet=rs0', 'mongodb://', 'http://x', '3', '64'];
/** What an `init` directory holds before it runs. */
const INIT_DIRS: Array<Record<string, string>> = [
  {},
  { 'package.json': '{"name":"app","scripts":{"dev":"node server.js"}}\n' },
  { 'package.json': '{"name": broken' },
  { 'package.json': '[1, 2]' },
  { 'lb-dev.config.yaml': 'instances: 2\n' },
  { 'package.json': '{"name":"rocket.chat","scripts":{"lb:dev":"something else"}}\n', '.meteor/release': 'METEOR@2.16\n' },
];
const COMMON = ['--config', '--state-dir', '--help', '-h', '--bogus', '-x', '--=', '---', '--json=1', '--version'];
/** Each makes `up` fail before it starts anything. */
const UP_BREAKERS = [
  ['--instances', '0'],
  ['-n', 'x'],
  ['-n', '65'],
  ['--port', '70000'],
  ['--traefik', 'nope'],
  ['--bogus'],
  ['--config', 'missing.yaml'],
  ['--config', 'bad.yaml'],
];

function argList(p: Picker): string[] {
  const roll = p.int(20);
  if (roll === 0) return [];
  if (roll === 1) return [p.pick(['stauts', 'bogus', 'help', '--help', '-v', '--version', 'UP', 'status;', ''])];
  const command = p.pick([...Object.keys(FLAGS), 'help']);
  const args: string[] = [command];
  const flags = FLAGS[command] ?? [];
  for (let n = p.int(5); n > 0; n--) {
    const what = p.int(10);
    if (what < 5 && flags.length) args.push(p.pick(flags));
    else if (what < 7) args.push(p.pick(COMMON));
    if (p.chance(0.6)) {
      if (command === 'init' && p.chance(0.6)) args.push(p.pick(INIT_VALUES));
      else args.push(p.chance(0.3) ? p.pick(['bad.yaml', 'missing.yaml', '.', 'state', '/dev/null']) : oddArg(p));
    }
  }
  if (command === 'up') {
    const breaker = p.pick(UP_BREAKERS);
    args.splice(1 + p.int(args.length), 0, ...breaker);
    // Commander stops at a lone `--help` or `--version` too, but `--` would make the breaker a positional.
    for (let i = args.indexOf('--'); i !== -1; i = args.indexOf('--')) args.splice(i, 1);
  }
  return args;
}

interface Outcome {
  code: number | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

function runBuilt(args: string[], cwd: string): Promise<Outcome> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [MAIN, ...args], {
      cwd,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NO_COLOR: '1', [MARKER.split('=')[0]!]: MARKER.split('=')[1]! },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => {
      if (stdout.length < 1 << 20) stdout += c.toString('utf8');
    });
    child.stderr.on('data', (c: Buffer) => {
      if (stderr.length < 1 << 20) stderr += c.toString('utf8');
    });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        /* gone */
      }
    }, TIMEOUT_MS);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, timedOut });
    });
  });
}

const STACK_LINE = /^\s+at .+(:\d+:\d+\)?|\(native\)|<anonymous>\)?)$/m;
const CODED = /^lb-dev: error [\s\S]*? \[([A-Z_0-9]+)\]$/m;

/** Names the outcome; fails the test on a stack trace, INTERNAL, an uncoded failure or a wrong exit status. */
function judge(args: string[], out: Outcome): string {
  const what = `lb-dev ${JSON.stringify(args).slice(0, 300)} (LB_DEV_FUZZ_SEED=${FUZZ_SEED}) -> exit ${out.code}\n${out.stderr.slice(0, 3000)}`;
  assert.ok(!out.timedOut, `hung for ${TIMEOUT_MS}ms: ${what}`);
  assert.doesNotMatch(out.stderr, STACK_LINE, `stack trace: ${what}`);
  assert.doesNotMatch(out.stdout.slice(0, 100_000), STACK_LINE, `stack trace on stdout: ${what}`);
  if (out.code === 0) {
    assert.doesNotMatch(out.stderr, /lb-dev: error/, what);
    return 'ok';
  }
  const coded = CODED.exec(out.stderr);
  if (!coded && out.code === 2 && out.stderr.startsWith('Usage: lb-dev')) return 'help (no command)';
  assert.ok(coded, `no coded error: ${what}`);
  const code = coded[1] as ErrorCode;
  assert.ok(code in ERROR_CODES && code !== 'INTERNAL', `unexpected code ${code}: ${what}`);
  assert.equal(out.code, ERROR_CODES[code].exitCode, `exit status for ${code}: ${what}`);
  assert.match(out.stderr, /^ {2}fix: /m, `a fix line: ${what}`);
  return code;
}

/** A fresh directory holding `files` (paths relative to it). */
async function initDir(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'lbdt-fuzz-init-'));
  dirs.push(dir);
  for (const [path, text] of Object.entries(files)) {
    await mkdir(join(dir, path, '..'), { recursive: true });
    await writeFile(join(dir, path), text);
  }
  return dir;
}

async function markedProcesses(): Promise<number[]> {
  const found: number[] = [];
  for (const pid of (await listPids()) ?? []) if ((await readEnviron(pid))?.includes(MARKER)) found.push(pid);
  return found;
}

test(`built CLI: ${CASES} argument lists end in success or a coded error, never a stack trace or a hang (seed ${FUZZ_SEED})`, async (t) => {
  assert.ok(existsSync(MAIN), `expected a build at ${MAIN}: run \`npm run build\` first`);
  const cwd = await mkdtemp(join(tmpdir(), 'lbdt-fuzz-cli-'));
  dirs.push(cwd);
  await writeFile(join(cwd, 'bad.yaml'), 'groups:\n  app:\n    instances: 0\n    command: node -e 0\n');
  await mkdir(join(cwd, 'state'));
  const p = picker(FUZZ_SEED);
  const cases = Array.from({ length: CASES }, () => argList(p));
  const tally = new Tally();
  const commands = new Tally();
  let next = 0;
  await Promise.all(
    Array.from({ length: PARALLEL }, async () => {
      while (next < cases.length) {
        const index = next++;
        const args = cases[index]!;
        commands.add(args[0] ?? '(none)');
        const dir = args[0] === 'init' ? await initDir(INIT_DIRS[index % INIT_DIRS.length]!) : cwd;
        tally.add(judge(args, await runBuilt(args, dir)));
      }
    }),
  );
  assert.equal(existsSync(join(cwd, '.lb-dev')), false, 'no state dir was created by a command that failed');
  const left = await markedProcesses();
  assert.deepEqual(left, [], 'no process left behind');
  const report = `CLI fuzz (seed ${FUZZ_SEED}): ${tally.total} runs: ${tally}; by command: ${commands}; processes left: ${left.length}`;
  t.diagnostic(report);
  console.log(`[fuzz] ${report}`);
});
