// spawnCommand as a launcher: a command that cannot start reports why, a shell line keeps its
// operators, exec only where it changes nothing, and the end of each output stream. The
// stopping of trees is in spawn-command.test.ts.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { type RunningProcess, execIfSimple, spawnCommand } from '../../../../src/adapters/process/spawn-command.js';
import { ROOT, killHard, waitUntil } from '../../../helpers/lb-dev/index.js';

const started: RunningProcess[] = [];
after(() => {
  for (const p of started) if (p.pid > 0) killHard(p.pid);
});

async function notStarted(command: string, cwd: string) {
  const child = spawnCommand({ command, cwd, env: { PATH: process.env.PATH ?? '' }, onOutput: () => {} });
  started.push(child);
  const exit = await child.exited;
  assert.equal(child.pid, -1);
  assert.equal(exit.code, 127);
  await child.stop(100);
  await child.signal('SIGKILL');
  return exit.spawnError ?? '';
}

test('a command that cannot start reports an exit with the reason instead of throwing', async () => {
  assert.match(await notStarted('node -e 1', '/no/such/dir'), /^ENOENT: the working directory \/no\/such\/dir does not exist/);
  // Linux limits one argument to 128 KiB: the shell's `-c <command>` is one argument.
  assert.match(await notStarted(`echo ${'x'.repeat(200_000)}`, ROOT), /^E2BIG: /);
  assert.match(await notStarted('echo a\u0000b', ROOT), /^ERR_INVALID_ARG_VALUE: .*null bytes/);
});

test('a command that runs has no spawnError, whatever its exit', async () => {
  const child = spawnCommand({ command: "sh -c 'exit 3'", cwd: ROOT, env: { PATH: process.env.PATH ?? '' }, onOutput: () => {} });
  started.push(child);
  assert.deepEqual(await child.exited, { code: 3, signal: null });
});

test('a shell command line runs through sh with its operators intact', async () => {
  let output = '';
  const child = spawnCommand({
    command: "echo one && FOO=bar sh -c 'echo $FOO'; exit 4",
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '' },
    onOutput: (_s, chunk) => {
      output += chunk.toString('utf8');
    },
  });
  started.push(child);
  assert.deepEqual(await child.exited, { code: 4, signal: null });
  await waitUntil(() => output === 'one\nbar\n', { what: () => `output ${JSON.stringify(output)}` });
});

test('execIfSimple: exec only where it cannot change what runs', () => {
  const cases: Array<[string, string]> = [
    ['node server.js', 'exec node server.js'],
    ['  yarn dev  ', 'exec yarn dev'],
    ['npm run dev -- --port 3000', 'exec npm run dev -- --port 3000'],
    ['node a.js && node b.js', 'node a.js && node b.js'],
    ['node a.js; node b.js', 'node a.js; node b.js'],
    ['node a.js | tee log', 'node a.js | tee log'],
    ['node a.js > out.log', 'node a.js > out.log'],
    ['node a.js &', 'node a.js &'],
    ['node $SCRIPT', 'node $SCRIPT'],
    ['node `which app`', 'node `which app`'],
    ['(cd web && yarn dev)', '(cd web && yarn dev)'],
    ['exec node a.js', 'exec node a.js'],
    ['cd web', 'cd web'],
    ['export A=1', 'export A=1'],
    ['PORT=3000 node a.js', 'PORT=3000 node a.js'],
    ['node a.js\nnode b.js', 'node a.js\nnode b.js'],
    ['if true', 'if true'],
    ['executable-thing --x', 'exec executable-thing --x'],
  ];
  for (const [input, expected] of cases) assert.equal(execIfSimple(input), expected, JSON.stringify(input));
});

test('onOutputEnd: once per stream, after the last of its output', async () => {
  const seen: string[] = [];
  let done!: () => void;
  const ended = new Promise<void>((resolve) => {
    done = resolve;
  });
  const child = spawnCommand({
    command: `printf 'first\\nlast without newline'; printf 'err' >&2`,
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '' },
    onOutput: (stream, chunk) => seen.push(`${stream}:${chunk.toString('utf8')}`),
    onOutputEnd: (stream) => {
      seen.push(`${stream}:end`);
      if (seen.filter((s) => s.endsWith(':end')).length === 2) done();
    },
  });
  started.push(child);
  await ended;
  const stdout = seen.filter((s) => s.startsWith('stdout:'));
  assert.equal(stdout.at(-1), 'stdout:end');
  assert.equal(
    stdout
      .slice(0, -1)
      .map((s) => s.slice('stdout:'.length))
      .join(''),
    'first\nlast without newline',
  );
  assert.deepEqual(
    seen.filter((s) => s.startsWith('stderr:')),
    ['stderr:err', 'stderr:end'],
  );
});
