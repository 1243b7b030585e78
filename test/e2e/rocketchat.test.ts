/**
 * `preset: rocketchat` end to end, through a real Traefik in Docker, against the stand-in
 * (test/fixtures/rocketchat: a fake `meteor` on PATH in a copy of a checkout laid out like
 * Rocket.Chat's): `lb-dev init` then `lb-dev up`, in both modes. Replicas: all ready with one
 * ROOT_URL / INSTANCE_IP / MONGO_URL; a change under server/ rolls through every instance under
 * load with no failed request; the dev process and a replica killed and back; Ctrl-C leaves no
 * process and no build-dir lock. Independent: N Meteor builds, one after another.
 */
import assert from 'node:assert/strict';
import { appendFile, cp, readFile, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { after, describe, it } from 'node:test';
import type { StatusReport } from '../../src/app/status-report.js';
import { e2eGate } from '../helpers/e2e-gate.js';
import { FIXTURES, LbDevRun, Workspace, instanceOf, runCli } from '../helpers/lb-dev/index.js';
import { startLoad } from '../helpers/load.js';

const gate = await e2eGate();

const STANDIN_BIN = join(FIXTURES, 'rocketchat', 'bin');
/** Short "builds" for tests; Rocket.Chat's take minutes (the preset allows 20). */
const STANDIN_ENV = { PATH: `${STANDIN_BIN}:${process.env.PATH}`, METEOR_STANDIN_BUILD_MS: '1500', METEOR_STANDIN_REBUILD_MS: '1500', MONGO_URL: '' };
const TIMEOUT_MS = 240_000;

interface StandinReport {
  instanceIp: string | null;
  rootUrl: string | null;
  mongoUrl: string;
  port: number;
  pid: number;
  build: { id: string; builtAt: number };
}

/** A temp copy of the stand-in checkout with `lb-dev init <args>`'s config, on this workspace's free ports. */
async function checkoutWithInit(initArgs: string[]): Promise<{ ws: Workspace; init: string }> {
  const ws = await Workspace.create();
  await rm(ws.configPath);
  await cp(join(FIXTURES, 'rocketchat', 'checkout'), ws.dir, { recursive: true });
  const result = await runCli(['init', ...initArgs], { cwd: ws.dir, env: STANDIN_ENV });
  assert.equal(result.code, 0, `lb-dev init: ${result.stdout}${result.stderr}`);
  // What a developer could write too: this test's free ports and state dir, Traefik in Docker.
  await appendFile(ws.configPath, `\nstateDir: ${ws.stateDir}\nbalancer:\n  port: ${ws.port}\ntraefik:\n  mode: docker\n  apiPort: ${ws.apiPort}\n`);
  return { ws, init: result.stdout };
}

async function standin(port: number): Promise<StandinReport> {
  const response = await fetch(`http://127.0.0.1:${port}/lb-dev-standin`, { signal: AbortSignal.timeout(5_000) });
  return (await response.json()) as StandinReport;
}

const allReady = (report: StatusReport, count: number) =>
  report.instances.length === count &&
  report.instances.every((i) => i.state === 'ready' && i.inBalancer) &&
  report.routes.confirmed === true &&
  report.routes.written.length === count;

/** Ctrl-C: `up` exits 0, no process of it is left, no build dir stays locked, no container. */
async function checkCtrlC(run: LbDevRun, ws: Workspace, buildDirs: string[]): Promise<void> {
  run.signal('SIGINT');
  const exit = await run.waitExit(60_000);
  assert.deepEqual(exit, { code: 0, signal: null }, run.tail());
  assert.deepEqual(ws.processes(), [], 'no process of the run is left');
  for (const dir of buildDirs) assert.equal(existsSync(join(ws.dir, 'apps', 'meteor', dir, 'standin-meteor.pid')), false, `${dir} is not locked`);
  assert.deepEqual(await ws.containers(), []);
}

describe('preset rocketchat, mode replicas: lb-dev init -n 3, then up', { skip: gate.skip || false, timeout: 900_000 }, () => {
  let ws: Workspace | undefined;
  let run: LbDevRun | undefined;
  const must = () => {
    if (!ws || !run) throw new Error('lb-dev up did not start (see the first test)');
    return { ws, run };
  };
  after(async () => {
    await ws?.cleanup();
  });

  it('init picks the preset; up brings meteor-1 and 2 replicas behind Traefik with one ROOT_URL, INSTANCE_IP and MONGO_URL', {
    timeout: TIMEOUT_MS,
  }, async (t) => {
    const made = await checkoutWithInit(['--preset', 'rocketchat', '-n', '3']);
    ws = made.ws;
    assert.match(made.init, /Using the rocketchat preset/);
    run = LbDevRun.startIn(ws, { env: STANDIN_ENV });
    const report = await run.waitFor((r) => (allReady(r, 3) ? r : null), 'meteor-1, replica-1, replica-2 ready and confirmed', 180_000);
    t.diagnostic(
      `figure: all 3 ready and confirmed in Traefik ${Math.round(performance.now() - run.startedAt)} ms after \`up\` was spawned (stand-in build 1.5 s)`,
    );
    assert.match(run.output(), /without an Enterprise licence/);

    const meteor = instanceOf(report, 'meteor-1');
    assert.equal(meteor.extraPorts.length, 1, "meteor-1's built-in MongoDB port is reserved");
    const reports = await Promise.all(report.instances.map((i) => standin(i.port!)));
    for (const r of reports) {
      assert.equal(r.rootUrl, ws.balancerUrl);
      assert.equal(r.instanceIp, '127.0.0.1');
      assert.equal(r.mongoUrl, `mongodb://127.0.0.1:${meteor.extraPorts[0]}/meteor`);
    }
    assert.equal(new Set(reports.map((r) => r.build.id)).size, 1, 'one build everywhere');
    const info = await fetch(`${ws.balancerUrl}/api/info`);
    assert.deepEqual(await info.json(), { version: '7.11.0', success: true });
    assert.match(info.headers.get('set-cookie') ?? '', /^rocketchat-server=/);
  });

  it('a change under server/ rolls through every instance under load with no failed request', { timeout: TIMEOUT_MS }, async (t) => {
    const { ws, run } = must();
    const before = await run.status();
    const oldBuild = (await standin(instanceOf(before, 'replica-1').port!)).build.id;
    const oldPids = new Map(before.instances.map((i) => [i.name, i.pid]));
    const load = startLoad(`${ws.balancerUrl}/api/info`, 4);
    const changedAt = performance.now();
    await appendFile(join(ws.dir, 'apps', 'meteor', 'server', 'main.js'), `export const changed = ${Date.now()};\n`);
    await run.waitFor(
      async (r) => {
        if (!allReady(r, 3)) return null;
        if (['replica-1', 'replica-2'].some((name) => instanceOf(r, name).pid === oldPids.get(name))) return null;
        const builds = await Promise.all(r.instances.map(async (i) => (await standin(i.port!)).build.id));
        return builds.every((id) => id !== oldBuild) ? r : null;
      },
      'every instance on the new build',
      120_000,
    );
    const rollMs = Math.round(performance.now() - changedAt);
    const result = await load.stop();
    t.diagnostic(`figure: rebuild + roll of 3 instances took ${rollMs} ms; ${result.sent} requests, ${result.failed} failed ${JSON.stringify(result.errors)}`);
    assert.equal(result.failed, 0, JSON.stringify(result));
    assert.match(run.output(), /=> Meteor server restarted/);
    assert.match(run.output(), /replica: .*rolling restart of replica-1, replica-2/);
    const status = await runCli(['status', '--config', ws.configPath], { env: STANDIN_ENV });
    assert.match(status.stdout, /BUILD/);
  });

  it('the dev process killed: it restarts and rebuilds, the replicas keep serving and roll onto its bundle', { timeout: TIMEOUT_MS }, async () => {
    const { ws, run } = must();
    const oldPid = instanceOf(await run.status(), 'meteor-1').pid;
    const killed = await runCli(['kill', 'meteor-1', '--config', ws.configPath], { env: STANDIN_ENV });
    assert.equal(killed.code, 0, killed.stderr);
    // Requests already on their way to meteor-1 can fail (docs/failover.md); once Traefik confirms it is out,
    // the replicas serve every request while meteor-1 restarts and rebuilds.
    await run.waitFor(
      (r) => (!r.routes.written.includes('meteor-1') && r.routes.confirmed === true ? r : null),
      'meteor-1 out of the confirmed routes',
      30_000,
    );
    for (let i = 0; i < 5; i++) {
      const answered = await fetch(`${ws.balancerUrl}/api/info`);
      assert.equal(answered.status, 200, 'the replicas answer while meteor-1 is down');
    }
    await run.waitFor((r) => (allReady(r, 3) && instanceOf(r, 'meteor-1').pid !== oldPid ? r : null), 'meteor-1 back', 120_000);
  });

  it('a replica killed: it restarts on its bundle and comes back', { timeout: TIMEOUT_MS }, async () => {
    const { ws, run } = must();
    // Rolls after meteor-1's rebuild are over once every replica runs the bundle on disk.
    const settled = await run.waitFor(
      (r) => (allReady(r, 3) && new Set(r.instances.slice(1).map((i) => i.build)).size === 1 ? r : null),
      'replicas settled',
      120_000,
    );
    const oldPid = instanceOf(settled, 'replica-2').pid;
    const killed = await runCli(['kill', 'replica-2', '--config', ws.configPath], { env: STANDIN_ENV });
    assert.equal(killed.code, 0, killed.stderr);
    await run.waitFor((r) => (allReady(r, 3) && instanceOf(r, 'replica-2').pid !== oldPid ? r : null), 'replica-2 back', 60_000);
  });

  it('Ctrl-C leaves no process and no lock behind', { timeout: TIMEOUT_MS }, async () => {
    const { ws, run } = must();
    await checkCtrlC(run, ws, ['.meteor/local']);
  });
});

describe('preset rocketchat, mode independent: lb-dev init --mode independent -n 2, then up', { skip: gate.skip || false, timeout: 600_000 }, () => {
  let ws: Workspace | undefined;
  after(async () => {
    await ws?.cleanup();
  });

  it('two Meteor builds, one after the other, each in its own build dir, one database; Ctrl-C cleans up', { timeout: TIMEOUT_MS }, async (t) => {
    const made = await checkoutWithInit(['--mode', 'independent', '-n', '2']);
    ws = made.ws;
    assert.match(made.init, /This is a Rocket.Chat checkout/);
    const run = LbDevRun.startIn(ws, { env: STANDIN_ENV });
    const report = await run.waitFor((r) => (allReady(r, 2) ? r : null), 'meteor-1 and peer-1 ready and confirmed', 180_000);
    t.diagnostic(`figure: both ready and confirmed ${Math.round(performance.now() - run.startedAt)} ms after \`up\` was spawned (two sequential 1.5 s builds)`);
    const [meteor, peer] = [instanceOf(report, 'meteor-1'), instanceOf(report, 'peer-1')];
    assert.ok(peer.startedAt! >= meteor.readyAt!, 'peer-1 starts once meteor-1 is ready');
    const [a, b] = await Promise.all([standin(meteor.port!), standin(peer.port!)]);
    assert.equal(a.mongoUrl, b.mongoUrl);
    assert.equal(a.mongoUrl, `mongodb://127.0.0.1:${meteor.extraPorts[0]}/meteor`);
    for (const dir of ['.meteor/local-meteor-1', '.meteor/local-peer-1']) {
      assert.ok((await readFile(join(ws.dir, 'apps', 'meteor', dir, 'build', 'main.js'), 'utf8')).includes('STANDIN_BUILD'), `${dir} has its own build`);
    }
    assert.equal(existsSync(join(ws.dir, 'apps', 'meteor', '.meteor', 'local')), false, 'nobody used the shared .meteor/local');
    await checkCtrlC(run, ws, ['.meteor/local-meteor-1', '.meteor/local-peer-1']);
  });
});
