// The state dir holds instance output and the routes: nobody but its owner may read it.
// It is claimed (control socket) before any log file is opened, and a part of it that cannot be
// written is STATE_DIR_UNUSABLE, not an internal error.
import assert from 'node:assert/strict';
import { readdirSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { FAST_GROUP, LbDevRun, Workspace, cleanupAll, fixture, waitUntil } from '../../helpers/lb-dev/index.js';

after(cleanupAll);

const mode = (path: string) => statSync(path).mode & 0o777;

/** Every file and directory under `dir`, with its mode (the socket is checked by the control tests). */
function modes(dir: string): Array<[string, number, boolean]> {
  const found: Array<[string, number, boolean]> = [[dir, mode(dir), true]];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) found.push(...modes(path));
    else if (entry.isFile()) found.push([path, mode(path), false]);
  }
  return found;
}

test('files in the state dir are 0600 and directories 0700, rotated logs included; a second up touches none of them', async (t) => {
  // 100 lines of ~50 bytes at start: more than the 1 KiB cap, so the instance's log rotates.
  const chatty = `for i in $(seq 1 100); do echo "line $i xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"; done; exec node ${fixture('http-ok.mjs')}`;
  const run = await LbDevRun.start({
    groups: { app: { command: chatty, instances: 2, ...FAST_GROUP } },
    config: { logs: { maxFileSize: '1KiB', maxFiles: 2 } },
  });
  t.after(() => run.cleanup());
  await run.waitAllReady(2);
  const root = run.layout.root;
  await waitUntil(() => readdirSync(run.layout.logsDir).some((name) => /^app-1\.log\.\d+$/.test(name)), { timeoutMs: 10_000, what: 'a rotated app-1 log' });

  const all = modes(root);
  for (const expected of [
    run.layout.logsDir,
    run.layout.traefikDir,
    run.layout.dynamicDir,
    run.layout.runFile,
    run.layout.dynamicFile,
    join(root, 'lifeline.log'),
  ]) {
    assert.ok(
      all.some(([path]) => path === expected),
      `${expected} exists`,
    );
  }
  const wrong = all.filter(([, m, isDir]) => m !== (isDir ? 0o700 : 0o600)).map(([path, m]) => `${path} ${m.toString(8)}`);
  assert.deepEqual(wrong, [], 'every directory 0700, every file 0600');

  // A second `up` on the same state dir stops at ALREADY_RUNNING without opening a log file.
  const sizes = () =>
    Object.fromEntries(
      readdirSync(run.layout.logsDir)
        .filter((n) => n.startsWith('lb-dev'))
        .map((n) => [n, statSync(join(run.layout.logsDir, n)).size]),
    );
  const before = sizes();
  const second = await run.cli(['up']);
  assert.equal(second.code, 3, second.stderr);
  assert.match(second.stderr, /ALREADY_RUNNING/);
  assert.doesNotMatch(second.stderr, /sonic boom|at .*\.ts:\d+/, 'no stack trace after the coded error');
  assert.deepEqual(sizes(), before, "the running up's own log files are untouched");

  run.signal('SIGINT');
  assert.equal((await run.waitExit()).code, 0, run.tail());
});

test('a traefik/ that is not a writable directory is STATE_DIR_UNUSABLE', async (t) => {
  const ws = await Workspace.create({});
  mkdirSync(ws.layout.root, { recursive: true });
  // A file where the directory should be (as root, a 0500 directory would still be writable).
  writeFileSync(ws.layout.traefikDir, 'not a directory');
  const result = await ws.cli(['up']);
  t.after(() => ws.cleanup());
  assert.equal(result.code, 2, result.stderr);
  assert.match(result.stderr, /STATE_DIR_UNUSABLE/);
  assert.match(result.stderr, /traefik/);
  assert.doesNotMatch(result.stderr, /INTERNAL/);
});
