// How the built CLI ends, run as a real child process: it leaves only once a pipe has taken
// all of its output, a reader that leaves early is no error, commander's usage errors read
// like every other error, a client command loads neither Docker's client nor the config
// reader, and a second `up` on the same state dir stops at ALREADY_RUNNING without a stack.
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, test } from 'node:test';
import getPort from 'get-port';
import { ROOT, killHard, nodeFixture, waitUntil } from '../../helpers/lb-dev/index.js';

const BUILT_CLI = join(ROOT, 'dist', 'cli', 'main.js');
let dir = '';

before(async () => {
  const source = statSync(join(ROOT, 'src', 'cli', 'main.ts')).mtimeMs;
  assert.ok(
    existsSync(BUILT_CLI) && statSync(BUILT_CLI).mtimeMs >= source,
    `these tests run the built CLI: run \`npx tsc -p tsconfig.build.json\` first (${BUILT_CLI} is missing or older than its source)`,
  );
  dir = await mkdtemp(join(tmpdir(), 'lbdt-exit-'));
});
after(() => rm(dir, { recursive: true, force: true }));

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs the built CLI. `reader` decides how stdout is read: 'slow' is a consumer that starts
 * late and then takes one chunk at a time (`| (sleep 0.3; wc -c)`: the pipe fills, Node queues
 * the rest, and a CLI that exits then loses it); 'closed' closes the read end before the CLI
 * writes anything (`| head -0`). The delays are the slow reader itself, not waits for an event.
 */
function runBuilt(args: string[], reader: 'slow' | 'closed', nodeArgs: string[] = []): Promise<Run> {
  const child = spawn(process.execPath, [...nodeArgs, BUILT_CLI, ...args], {
    cwd: dir,
    env: { ...process.env, NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stdout: Buffer[] = [];
  let stderr = '';
  if (reader === 'closed') child.stdout!.destroy();
  else {
    child.stdout!.pause();
    setTimeout(() => child.stdout!.resume(), 300);
    child.stdout!.on('data', (chunk: Buffer) => {
      stdout.push(chunk);
      child.stdout!.pause();
      setTimeout(() => child.stdout!.resume(), 5);
    });
  }
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
  return new Promise((resolve) =>
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout: Buffer.concat(stdout).toString('utf8'), stderr });
    }),
  );
}

/** A config whose `lb-dev config` output is far beyond a pipe's 64 KiB. */
const BIG_COMMAND = `node app.js ${'--flag=value '.repeat(20_000)}`.trim();

async function bigConfig(): Promise<string> {
  const file = join(dir, 'big.yaml');
  await writeFile(file, `command: ${BIG_COMMAND}\n`);
  return file;
}

test('`lb-dev config | slow reader` gets all of the output, not the first 64 KiB', async () => {
  const config = await bigConfig();
  const run = await runBuilt(['config', '--json', '--config', config], 'slow');
  assert.equal(run.code, 0, run.stderr);
  assert.ok(run.stdout.length > 200_000, `${run.stdout.length} bytes`);
  assert.ok(run.stdout.endsWith('}\n'), `the output ends as JSON does, not ${JSON.stringify(run.stdout.slice(-40))}`);
  const printed = JSON.parse(run.stdout) as { groups: Array<{ command: string }> };
  assert.equal(printed.groups[0]!.command, BIG_COMMAND);
});

test('a reader that closes early (`lb-dev --help | head -1`) gets no EPIPE stack; the exit code stands', async () => {
  for (const args of [['--help'], ['config', '--config', await bigConfig()]]) {
    const run = await runBuilt(args, 'closed');
    assert.equal(run.stderr, '', `${args.join(' ')}: nothing on stderr`);
    assert.equal(run.code, 0, args.join(' '));
  }
});

test("commander's usage errors come as lb-dev errors: prefix, USAGE, the suggestion, a fix, exit 2", async () => {
  const unknownCommand = await runBuilt(['stauts'], 'slow');
  assert.equal(unknownCommand.code, 2);
  assert.equal(
    unknownCommand.stderr,
    [
      "lb-dev: error unknown command 'stauts' [USAGE]",
      '  - Did you mean status?',
      '  fix: Run `lb-dev --help` or `lb-dev <command> --help` for the accepted options.',
      '',
    ].join('\n'),
  );
  const unknownOption = await runBuilt(['status', '--jsn'], 'slow');
  assert.equal(unknownOption.code, 2);
  assert.match(unknownOption.stderr, /^lb-dev: error unknown option '--jsn' \[USAGE\]\n {2}- Did you mean --json\?\n {2}fix: /);
  const missing = await runBuilt(['scale'], 'slow');
  assert.match(missing.stderr, /^lb-dev: error missing required argument 'count' \[USAGE\]\n {2}fix: /);
  assert.equal((await runBuilt(['--version'], 'slow')).code, 0);
});

test('a client command loads neither Docker, gRPC, pino, YAML nor the config schema', async () => {
  // A loader hook that reports every module URL Node loads.
  const hooks = join(dir, 'hooks.mjs');
  // biome-ignore lint/suspicious/noTemplateCurlyInString: the hook's own source text, a template literal inside.
  await writeFile(hooks, 'export async function load(url, context, next) { process._rawDebug(`LOADED ${url}`); return next(url, context); }\n');
  const register = join(dir, 'register.mjs');
  await writeFile(register, `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(hooks).href)});\n`);
  const run = await runBuilt(['status', '--state-dir', join(dir, 'nothing-here')], 'slow', ['--import', register]);
  assert.equal(run.code, 3, run.stderr);
  assert.match(run.stderr, /NOT_RUNNING/);
  const loaded = [...run.stderr.matchAll(/^LOADED (.*)$/gm)].map((m) => m[1]!);
  assert.ok(
    loaded.some((url) => url.endsWith('/dist/cli/commands/status.js')),
    'the hook saw the CLI load',
  );
  const heavy = loaded.filter((url) =>
    /node_modules\/(?!commander\/)|\/dist\/(app\/(up|doctor)|adapters\/config-file|core\/config\/(schema|describe))\.js$/.test(url),
  );
  assert.deepEqual(heavy, []);
});

test('a second `up` on the same state dir stops at ALREADY_RUNNING, with no stack trace after it', async (t) => {
  const stateDir = join(dir, 'state');
  const port = await getPort({ host: '127.0.0.1' });
  const first: ChildProcess = spawn(
    process.execPath,
    [BUILT_CLI, 'up', '--traefik', 'external', '--state-dir', stateDir, '-n', '1', '--port', String(port), '--command', nodeFixture('http-ok.mjs')],
    { cwd: ROOT, stdio: 'ignore', env: { ...process.env, NO_COLOR: '1' } },
  );
  t.after(() => {
    if (first.exitCode === null) killHard(first.pid!);
  });
  const firstExit = new Promise<number | null>((resolve) => first.once('exit', (code) => resolve(code)));
  await waitUntil(() => existsSync(join(stateDir, 'lb-dev.sock')), { what: 'the first up to listen on its control socket' });

  const second = await runBuilt(['up', '--traefik', 'external', '--state-dir', stateDir, '-n', '1', '--port', String(port)], 'slow');
  assert.equal(second.code, 3);
  assert.match(second.stderr, /^lb-dev: error another lb-dev is already running .*\[ALREADY_RUNNING\]\n {2}fix: .*\n$/);

  const down = await runBuilt(['down', '--state-dir', stateDir], 'slow');
  assert.equal(down.code, 0, down.stderr);
  assert.equal(await firstExit, 0);
  // lb-dev's JSON log has its own file; the text log is the hub's alone.
  const json = (await readFile(join(stateDir, 'logs', 'lb-dev.jsonl'), 'utf8'))
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { msg: string });
  assert.ok(
    json.some((entry) => entry.msg.startsWith('shutting down')),
    'the shutdown is in lb-dev.jsonl',
  );
  const text = await readFile(join(stateDir, 'logs', 'lb-dev.log'), 'utf8');
  assert.doesNotMatch(text, /^\{/m, 'no JSON in the text log');
});
