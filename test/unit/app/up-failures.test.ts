// `lb-dev up` refusing to start: every failure exits with its code and message, and leaves
// nothing running. Real `up` processes; no Docker (--traefik external).
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import getPort from 'get-port';
import { LbDevRun, cleanupAll, markedProcesses, nodeFixture, runCli } from '../../helpers/lb-dev/index.js';

after(cleanupAll);

test('a second up with the same state dir exits 3 ALREADY_RUNNING; the first keeps running', async (t) => {
  const first = await LbDevRun.start();
  t.after(() => first.cleanup());
  const before = await first.waitAllReady(3);

  const second = await LbDevRun.start({ stateDir: first.stateDir });
  t.after(() => second.cleanup());
  const exit = await second.waitExit();
  assert.equal(exit.code, 3, second.output());
  assert.match(second.output(), /ALREADY_RUNNING/);
  assert.match(second.output(), /already running with this state dir/);
  assert.doesNotMatch(second.output(), /starting on port/, 'the second up started no instance');

  // The first is untouched: same pids, still ready, socket and config still there.
  const now = await first.status();
  assert.deepEqual(
    now.instances.map((i) => [i.pid, i.state]),
    before.instances.map((i) => [i.pid, 'ready']),
  );
  assert.ok(existsSync(first.layout.socket));
  assert.equal((await first.serverUrls())?.length, 3);
  assert.equal(now.pid, first.pid);
});

test('balancer port already taken (lb-dev runs Traefik): exit 3 PORT_IN_USE, nothing left running', async (t) => {
  const port = await getPort({ host: '127.0.0.1' });
  const blocker = createServer();
  await new Promise<void>((resolve) => blocker.listen(port, '127.0.0.1', resolve));
  t.after(() => new Promise<void>((resolve) => blocker.close(() => resolve())));

  // Binary mode: lb-dev runs the balancer, so its port must be free. The port check comes
  // before Traefik would start, so a script that only answers `traefik version` stands in.
  const dir = await mkdtemp(join(tmpdir(), 'lbdt-fake-traefik-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const fakeTraefik = join(dir, 'traefik');
  await writeFile(fakeTraefik, '#!/bin/sh\necho "Version:      3.6.25"\n', { mode: 0o755 });
  const run = await LbDevRun.start({ port, args: ['--traefik', 'binary'], config: { traefik: { binary: fakeTraefik } } });
  t.after(() => run.cleanup());
  const exit = await run.waitExit();
  assert.equal(exit.code, 3, run.output());
  assert.match(run.output(), /PORT_IN_USE/);
  assert.match(run.output(), new RegExp(`port ${port}`));
  assert.match(run.output(), new RegExp(`lsof -nP -iTCP:${port} -sTCP:LISTEN\``), 'the fix names the port');
  assert.equal(run.output().match(/PORT_IN_USE/g)?.length, 1, `expected the error once, got:\n${run.output()}`);
  assert.doesNotMatch(run.output(), /starting on port/);
  assert.deepEqual(markedProcesses(run.layout.root), []);
  assert.equal(existsSync(run.layout.socket), false, 'the control socket is removed again');
  assert.equal(existsSync(run.layout.runFile), false, 'run.json is removed again');
  // And client commands see it as not running.
  const status = await run.cli(['status']);
  assert.equal(status.code, 3);
  assert.match(status.stderr, /NOT_RUNNING/);
});

test("external mode: the balancer port is the user's Traefik, so it may be taken", async (t) => {
  const port = await getPort({ host: '127.0.0.1' });
  const blocker = createServer();
  await new Promise<void>((resolve) => blocker.listen(port, '127.0.0.1', resolve));
  t.after(() => new Promise<void>((resolve) => blocker.close(() => resolve())));
  const run = await LbDevRun.start({ port });
  t.after(() => run.cleanup());
  const report = await run.waitAllReady(3);
  assert.equal(report.url, `http://127.0.0.1:${port}`);
});

test('configuration and command errors exit 2 before anything starts', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'lbdt-cfg-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const port = await getPort({ host: '127.0.0.1' });
  const state = join(dir, 'state');
  const file = async (name: string, text: string) => {
    const path = join(dir, name);
    await writeFile(path, text);
    return path;
  };
  const badYaml = await file('bad.yaml', `stateDir: ${state}\nbalancer:\n  port: ${port}\n  host: [127.0.0.1\ngroups: {}\n`);
  const unknownKey = await file('unknown.yaml', `stateDir: ${state}\nbalancer:\n  port: ${port}\ncommand: ${nodeFixture('http-ok.mjs')}\ninstnces: 2\n`);
  const good = await file('good.yaml', `stateDir: ${state}\nbalancer:\n  port: ${port}\ncommand: ${nodeFixture('http-ok.mjs')}\n`);
  const up = (...args: string[]) => runCli(['up', '--traefik', 'external', ...args]);

  const [yaml, unknown, missing, zero, notNumber] = await Promise.all([
    up('--config', badYaml),
    up('--config', unknownKey),
    up('--config', good, '--command', 'no-such-program-xyz --port 1'),
    up('--config', good, '-n', '0'),
    up('--config', good, '-n', 'three'),
  ]);

  assert.equal(yaml.code, 2, yaml.stderr);
  assert.match(yaml.stderr, /CONFIG_PARSE/);
  assert.match(yaml.stderr, /bad\.yaml:\d+:\d+/, 'names the file and line');
  const line = Number(/bad\.yaml:(\d+):/.exec(yaml.stderr)![1]);
  assert.ok(line >= 4 && line <= 5, `line ${line} is where the flow sequence breaks`);

  assert.equal(unknown.code, 2, unknown.stderr);
  assert.match(unknown.stderr, /CONFIG_INVALID/);
  assert.match(unknown.stderr, /instnces/);
  assert.match(unknown.stderr, /did you mean `instances`\?/);
  assert.match(unknown.stderr, /unknown\.yaml/, 'names the file');
  assert.match(unknown.stderr, /line 5: instnces/, 'names the line of the unknown key');

  assert.equal(missing.code, 2, missing.stderr);
  assert.match(missing.stderr, /COMMAND_NOT_FOUND/);
  assert.match(missing.stderr, /no-such-program-xyz/);

  assert.equal(zero.code, 2, zero.stderr);
  assert.match(zero.stderr, /--instances/);
  assert.equal(notNumber.code, 2, notNumber.stderr);

  for (const r of [yaml, unknown, missing, zero, notNumber]) {
    assert.doesNotMatch(r.stdout, /starting on port/);
  }
  assert.equal(existsSync(join(state, 'lb-dev.sock')), false, 'no control socket was created');
  assert.deepEqual(markedProcesses(state), []);
});
