// `lb-dev up --traefik external` end to end: real `up` process, real instances (fixtures),
// the real dynamic config file and control socket. No Docker, no Traefik.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { after, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { FAST_GROUP, LbDevRun, cleanupAll, fixture, nodeFixture, pidAlive, waitUntil } from '../../helpers/lb-dev/index.js';

after(cleanupAll);

const urlOf = (port: number | null) => `http://127.0.0.1:${port}`;

test('3 instances become ready; the dynamic config lists exactly their ports; kill -9 removes one promptly and it comes back', async (t) => {
  const run = await LbDevRun.start();
  t.after(() => run.cleanup());
  const report = await run.waitAllReady(3);
  const ports = report.instances.map((i) => i.port!);
  assert.equal(new Set(ports).size, 3, 'three distinct ports');
  assert.ok(!ports.includes(run.port), 'no instance on the balancer port');
  assert.deepEqual(
    await waitUntil(
      async () => {
        const urls = await run.serverUrls();
        return urls?.length === 3 ? urls : null;
      },
      { what: 'three servers in the dynamic config' },
    ),
    ports.map(urlOf).sort(),
  );
  // Each instance answers with its own name on its port.
  for (const i of report.instances) {
    assert.equal((await (await fetch(urlOf(i.port))).text()).trim(), i.name);
  }

  const victim = run.instance(report, 'app-2');
  const victimUrl = urlOf(victim.port);
  const killedAt = Date.now();
  process.kill(victim.pid!, 'SIGKILL');
  // Poll the file as fast as is reasonable: the figure is exit -> the rename that drops the route.
  let removedAt = 0;
  while (Date.now() - killedAt < 5_000) {
    const urls = await run.serverUrls();
    if (urls && !urls.includes(victimUrl)) {
      removedAt = Date.now();
      break;
    }
    await sleep(2); // deliberate: a 2 ms sampling of the user's file is the measurement (how soon the URL left)
  }
  assert.ok(removedAt > 0, `the killed instance's URL left the config within 5s\n${run.tail()}`);
  const ms = removedAt - killedAt;
  t.diagnostic(`kill -9 -> dynamic config without the instance: ${ms}ms`);
  assert.ok(ms < 2_000, `route removed ${ms}ms after the kill (expected well under 2s)`);
  assert.deepEqual(
    await run.serverUrls(),
    ports
      .filter((p) => p !== victim.port)
      .map(urlOf)
      .sort(),
  );

  const back = await run.waitFor((r) => {
    const i = run.instance(r, 'app-2');
    return i.state === 'ready' && i.inBalancer && r.routes.written.includes('app-2') ? i : null;
  }, 'app-2 ready again');
  assert.equal(back.restarts, 1);
  assert.notEqual(back.pid, victim.pid);
  assert.equal(back.lastExit?.signal, 'SIGKILL');
  assert.equal(back.port, victim.port, 'a restart keeps the port');
  assert.deepEqual(
    await waitUntil(
      async () => {
        const urls = await run.serverUrls();
        return urls?.length === 3 ? urls : null;
      },
      { what: 'three servers again' },
    ),
    ports.map(urlOf).sort(),
  );
  // The other two were not disturbed.
  const after = await run.status();
  for (const name of ['app-1', 'app-3']) assert.equal(run.instance(after, name).restarts, 0);

  run.signal('SIGINT');
  assert.equal((await run.waitExit()).code, 0);
});

test('SIGINT to up exits 0 and leaves no process of any instance (wrapper + ignore-sigterm, grandchildren) and no dynamic config', async (t) => {
  const run = await LbDevRun.start({
    groups: {
      web: { command: `${fixture('wrapper.sh')} ${fixture('ignore-sigterm.mjs')}`, instances: 2, ...FAST_GROUP },
      kids: { command: nodeFixture('grandchildren.mjs'), instances: 1, env: { GRANDCHILD_STDIO: 'inherit' }, ...FAST_GROUP },
    },
  });
  t.after(() => run.cleanup());
  const report = await run.waitAllReady(3);
  const grandchildren = await waitUntil(
    () => {
      const pids = [...run.output().matchAll(/GRANDCHILD (\d+)/g)].map((m) => Number(m[1]));
      return pids.length === 2 ? pids : null;
    },
    { what: 'two GRANDCHILD lines in the output' },
  );
  const leaders = report.instances.map((i) => i.pid!);
  const all = run.leftovers();
  t.diagnostic(`processes of the run before SIGINT: ${all.length} (leaders ${leaders.join(', ')}, grandchildren ${grandchildren.join(', ')})`);
  // wrapper.sh + its node child for 2 instances, grandchildren.mjs + 2 grandchildren.
  assert.ok(all.length >= 7, `expected at least 7 processes, found ${all.length}: ${all.join(', ')}`);
  for (const pid of [...leaders, ...grandchildren]) assert.ok(all.includes(pid), `${pid} is one of the run's processes`);
  assert.ok(existsSync(run.layout.dynamicFile));

  const started = Date.now();
  run.signal('SIGINT');
  const exit = await run.waitExit(20_000);
  t.diagnostic(`SIGINT -> up exited in ${Date.now() - started}ms`);
  assert.equal(exit.code, 0, run.tail());
  for (const pid of [...all, ...grandchildren]) assert.equal(pidAlive(pid), false, `pid ${pid} still alive after up exited`);
  assert.deepEqual(run.leftovers(), []);
  assert.equal(existsSync(run.layout.dynamicFile), false, 'the dynamic config file is removed');
  assert.equal(existsSync(run.layout.socket), false, 'the control socket is removed');
  assert.match(run.output(), /stopped; nothing left running/);
});

test('`lb-dev down` from another process stops everything and removes the config', async (t) => {
  const run = await LbDevRun.start({
    groups: {
      app: { command: nodeFixture('http-ok.mjs'), instances: 2, ...FAST_GROUP },
      kids: { command: `${fixture('wrapper.sh')} ${fixture('grandchildren.mjs')}`, instances: 1, ...FAST_GROUP },
    },
  });
  t.after(() => run.cleanup());
  await run.waitAllReady(3);
  const all = run.leftovers();
  assert.ok(all.length >= 6, `wrapper, its node, 2 grandchildren, 2 http-ok: found ${all.length}`);

  const down = await run.cli(['down']);
  assert.equal(down.code, 0, down.stderr);
  assert.match(down.stdout, /stopped/);
  const exit = await run.waitExit();
  assert.equal(exit.code, 0, run.tail());
  for (const pid of all) assert.equal(pidAlive(pid), false, `pid ${pid} still alive`);
  assert.equal(existsSync(run.layout.dynamicFile), false);
  assert.match(await readFile(run.layout.supervisorLog, 'utf8'), /shutting down/);
});
