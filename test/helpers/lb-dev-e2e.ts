/**
 * End-to-end runs of the real `lb-dev up` (from source, through tsx) with a real Traefik
 * (the Docker image, or a local binary) in front of the built-in demo app.
 *
 * A `Workspace` is one temp dir: a config file with free balancer and API ports, and a state
 * dir. Several `UpRun`s can use the same workspace one after another (the run after a killed
 * one). `Workspace.cleanup()` is for after-hooks and never throws: it SIGKILLs every `up` it
 * started, every process that carries LB_DEV_STATE_DIR=<state dir> (instances, a local
 * traefik), removes every container labelled with the state dir, and deletes the temp dir.
 *
 * Also the checks the docker and binary test files share: balancing without a cookie, the
 * sticky cookie, WebSockets, and a killed instance leaving Traefik and coming back.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { accessSync, constants as fsConstants } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import assert from 'node:assert/strict';
import WebSocket from 'ws';
import { stringify } from 'yaml';
import type { StatusReport } from '../../src/app/status-report.js';
import type { InstanceStatus } from '../../src/app/instance.js';
import { stateLayout } from '../../src/app/state-dir.js';
import { ControlClient } from '../../src/control/client.js';
import { STATE_DIR_LABEL, connectDocker, type DockerEngine } from '../../src/adapters/traefik/docker.js';
import { cookieFrom, freePort, LOOPBACK } from './http.js';
import { CLI, ROOT, type CliResult, killHard, markedProcesses, pidAlive, runCli, waitUntil } from './lb-dev-process.js';

export { pidAlive, waitUntil };

export const SERVICE = 'lb-dev';
export const STICKY_COOKIE = 'lb-dev-server';
/** Generous: a loaded 2-core machine starting three tsx processes and a container. */
export const READY_TIMEOUT_MS = 90_000;

type Diagnostic = { diagnostic(message: string): void };

// ---------------------------------------------------------------------------------------------
// Gates

/**
 * The cached traefik binary from `scripts/provide-traefik.sh --binary`. When that fails the
 * file is skipped, or fails under LB_DEV_E2E_REQUIRED=1 (like e2eGate()).
 */
export async function traefikBinaryGate(): Promise<{ skip: false; binary: string } | { skip: string }> {
  const reason = await new Promise<string | { binary: string }>((resolve) => {
    // A cold build takes ~16 min on 2 cores; normally the binary is cached and this takes ~10 ms.
    execFile('bash', [join(ROOT, 'scripts', 'provide-traefik.sh'), '--binary'], { cwd: ROOT, timeout: 30 * 60_000 }, (error, stdout, stderr) => {
      if (error) {
        resolve(`scripts/provide-traefik.sh --binary failed (${error.message.split('\n')[0]}): ${stderr.trim().split('\n').slice(-3).join(' | ')}`);
        return;
      }
      const binary = stdout.trim().split('\n').pop() ?? '';
      try {
        accessSync(binary, fsConstants.X_OK);
        resolve({ binary });
      } catch {
        resolve(`scripts/provide-traefik.sh --binary printed ${JSON.stringify(binary)}, which is not an executable file`);
      }
    });
  });
  if (typeof reason !== 'string') return { skip: false, binary: reason.binary };
  if (process.env['LB_DEV_E2E_REQUIRED'] === '1') {
    throw new Error(`end-to-end tests are required (LB_DEV_E2E_REQUIRED=1) but cannot run: ${reason}`);
  }
  return { skip: reason };
}

// ---------------------------------------------------------------------------------------------
// Workspace and runs

export interface WorkspaceOptions {
  mode: 'docker' | 'binary';
  /** traefik.binary for mode binary. */
  binary?: string;
  instances?: number;
  /** Extra keys for the `app` group (restart, readiness ...). */
  group?: Record<string, unknown>;
}

export class Workspace {
  readonly layout: ReturnType<typeof stateLayout>;
  readonly runs: UpRun[] = [];
  private engine: DockerEngine | null = null;

  private constructor(
    readonly dir: string,
    readonly stateDir: string,
    readonly configPath: string,
    readonly port: number,
    readonly apiPort: number,
    readonly options: WorkspaceOptions,
  ) {
    this.layout = stateLayout(stateDir);
  }

  static async create(options: WorkspaceOptions): Promise<Workspace> {
    const dir = await mkdtemp(join(tmpdir(), 'lb-dev-e2e-'));
    const stateDir = join(dir, 'state');
    const port = await freePort();
    const apiPort = await freePort();
    assert.notEqual(port, apiPort);
    const configPath = join(dir, 'lb-dev.config.yaml');
    const config = {
      stateDir,
      balancer: { port },
      traefik: { mode: options.mode, apiPort, ...(options.binary ? { binary: options.binary } : {}) },
      groups: {
        app: {
          // command: none = the built-in demo app. Run from source it is `node --import <tsx> server.ts`;
          // a cwd inside the project keeps `tsx` resolvable however that loader is named.
          cwd: ROOT,
          instances: options.instances ?? 3,
          ...options.group,
        },
      },
    };
    await writeFile(configPath, stringify(config));
    return new Workspace(dir, stateDir, configPath, port, apiPort, options);
  }

  get balancerUrl(): string {
    return `http://${LOOPBACK}:${this.port}`;
  }

  get apiUrl(): string {
    return `http://${LOOPBACK}:${this.apiPort}`;
  }

  /** Starts `lb-dev up --config <file>`. */
  up(): UpRun {
    const run = new UpRun(this);
    this.runs.push(run);
    return run;
  }

  /** Runs a client command against this workspace (`--config <file>` added). */
  cli(args: string[], timeoutMs = 60_000): Promise<CliResult> {
    return runCli([...args, '--config', this.configPath], { timeoutMs });
  }

  async docker(): Promise<DockerEngine> {
    this.engine ??= await connectDocker();
    return this.engine;
  }

  /** Containers (running or not) labelled with this state dir. */
  async containers(): Promise<Array<{ id: string; name: string; state: string }>> {
    const engine = await this.docker();
    const found = await engine.docker.listContainers({ all: true, filters: { label: [`${STATE_DIR_LABEL}=${this.layout.root}`] } });
    return found.map((c) => ({ id: c.Id, name: (c.Names[0] ?? c.Id).replace(/^\//, ''), state: c.State }));
  }

  /** Live processes carrying this state dir's marker (instances, a local traefik). */
  processes(): number[] {
    return markedProcesses(this.layout.root);
  }

  /** The server URLs Traefik's API lists for the lb-dev service (sorted); null when it does not know the service. */
  async apiServers(): Promise<string[] | null> {
    const res = await fetch(`${this.apiUrl}/api/http/services/${SERVICE}@file`, { signal: AbortSignal.timeout(2_000) });
    if (res.status === 404) {
      await res.body?.cancel();
      return null;
    }
    if (res.status !== 200) throw new Error(`Traefik API answered ${res.status}: ${(await res.text()).slice(0, 200)}`);
    const body = (await res.json()) as { loadBalancer?: { servers?: Array<{ url?: string }> } };
    return (body.loadBalancer?.servers ?? []).map((s) => String(s.url).replace(/\/+$/, '')).sort();
  }

  /** For after-hooks: removes everything this workspace's runs started. Never throws. */
  async cleanup(): Promise<void> {
    for (const run of this.runs) await run.kill().catch(() => undefined);
    for (const run of this.runs) for (const pid of run.pidsSeen) killHard(pid);
    for (let i = 0; i < 5; i++) {
      const left = this.processes();
      if (left.length === 0) break;
      for (const pid of left) killHard(pid);
      await sleep(100);
    }
    if (this.options.mode === 'docker' || this.engine) {
      try {
        const engine = await this.docker();
        await engine.removeLabelledContainers({ [STATE_DIR_LABEL]: this.layout.root });
      } catch {
        // no engine: nothing of ours can be running in it
      }
    }
    await rm(this.dir, { recursive: true, force: true }).catch(() => undefined);
  }
}

export class UpRun {
  readonly child: ChildProcess;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** performance.now() when `up` was spawned. */
  readonly startedAt: number;
  exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  readonly pidsSeen = new Set<number>();
  private out = '';
  private client: ControlClient | null = null;

  constructor(readonly ws: Workspace) {
    this.startedAt = performance.now();
    this.child = spawn(process.execPath, ['--import', 'tsx', CLI, 'up', '--config', ws.configPath], {
      cwd: ROOT,
      env: { ...process.env, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const keep = (c: Buffer) => {
      this.out += c.toString('utf8');
      if (this.out.length > 512_000) this.out = this.out.slice(-256_000);
    };
    this.child.stdout!.on('data', keep);
    this.child.stderr!.on('data', keep);
    this.exited = new Promise((resolve) => this.child.once('exit', (code, signal) => {
      this.exit = { code, signal };
      this.client?.close();
      this.client = null;
      resolve({ code, signal });
    }));
  }

  get pid(): number {
    return this.child.pid!;
  }

  output(): string {
    return this.out;
  }

  /** The last lines of `up`'s output, without the instances' own chatter. */
  tail(lines = 40): string {
    return this.out.split('\n').filter((l) => !/^app-\d+\s+\|/.test(l)).slice(-lines).join('\n');
  }

  async status(): Promise<StatusReport> {
    if (this.exit) throw new Error(`lb-dev up exited (${JSON.stringify(this.exit)}):\n${this.tail()}`);
    try {
      this.client ??= await ControlClient.connect(this.ws.layout.socket, this.ws.layout.root);
      const report = await this.client.call<StatusReport>('status');
      for (const i of report.instances) if (i.pid) this.pidsSeen.add(i.pid);
      return report;
    } catch (error) {
      this.client?.close();
      this.client = null;
      throw error;
    }
  }

  /** Polls status until `check(report)` is truthy. */
  async waitFor<T>(check: (report: StatusReport) => T, what: string, timeoutMs = 30_000): Promise<NonNullable<T>> {
    let last: StatusReport | null = null;
    return waitUntil(async () => {
      last = await this.status();
      return check(last);
    }, {
      timeoutMs,
      intervalMs: 50,
      what: () => `${what}; last status: ${JSON.stringify(last?.instances.map(brief))} routes ${JSON.stringify(last?.routes)}\n--- up output ---\n${this.tail()}`,
    });
  }

  /** Every instance ready, in the balancer, written and confirmed by Traefik's API. */
  waitAllReady(count: number, timeoutMs = READY_TIMEOUT_MS): Promise<StatusReport> {
    return this.waitFor((r) => {
      const ready = r.instances.filter((i) => i.state === 'ready' && i.inBalancer);
      return r.instances.length === count && ready.length === count && r.routes.written.length === count && r.routes.confirmed === true ? r : null;
    }, `${count} instances ready, routed and confirmed`, timeoutMs);
  }

  signal(signal: NodeJS.Signals): void {
    if (!this.exit) this.child.kill(signal);
  }

  /** Waits for `up` to exit; SIGKILLs it (and fails) after timeoutMs. */
  async waitExit(timeoutMs = 30_000): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      this.child.kill('SIGKILL');
    }, timeoutMs);
    try {
      const result = await this.exited;
      if (timedOut) throw new Error(`lb-dev up did not exit within ${timeoutMs} ms (killed it):\n${this.tail()}`);
      return result;
    } finally {
      clearTimeout(timer);
    }
  }

  /** SIGKILLs `up` itself (not what it started) and waits for it to go. */
  async kill(): Promise<void> {
    if (this.exit) return;
    this.child.kill('SIGKILL');
    await this.exited;
  }
}

function brief(i: InstanceStatus) {
  return { name: i.name, state: i.state, pid: i.pid, port: i.port, inBalancer: i.inBalancer, restarts: i.restarts };
}

export function instanceOf(report: StatusReport, name: string): InstanceStatus {
  const found = report.instances.find((i) => i.name === name);
  if (!found) throw new Error(`no ${name} in status: ${report.instances.map((i) => i.name).join(', ')}`);
  return found;
}

/** The URL Traefik lists for an instance's port (its host depends on the network mode). */
export function serverFor(servers: readonly string[] | null, port: number): string | undefined {
  return servers?.find((url) => url.endsWith(`:${port}`));
}

// ---------------------------------------------------------------------------------------------
// Small tools

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** True when nothing listens on host:port (we could bind it). */
export function portFree(port: number, host = LOOPBACK): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, host, () => server.close(() => resolve(true)));
  });
}

export interface InfoAnswer {
  status: number;
  /** `instance` from the demo's /api/info; null when the answer was not the demo's JSON. */
  instance: string | null;
  text: string;
  headers: Headers;
  ms: number;
}

/** GET /api/info through the balancer (never hangs: 5 s timeout). */
export async function info(ws: Workspace, headers: Record<string, string> = {}): Promise<InfoAnswer> {
  const started = performance.now();
  const res = await fetch(`${ws.balancerUrl}/api/info`, { headers, signal: AbortSignal.timeout(5_000) });
  const text = await res.text();
  let instance: string | null = null;
  try {
    const body = JSON.parse(text) as { instance?: unknown };
    if (typeof body.instance === 'string') instance = body.instance;
  } catch {
    // not JSON: a 502/503 from Traefik
  }
  return { status: res.status, instance, text, headers: res.headers, ms: Math.round(performance.now() - started) };
}

export interface WsEcho {
  hello: string;
  echo: { instance: string; echo: string };
}

/** Opens a WebSocket through the balancer, reads `{hello}`, sends `text`, reads `{instance, echo}`, closes. */
export function wsEcho(ws: Workspace, path: string, text: string, headers: Record<string, string> = {}, timeoutMs = 10_000): Promise<WsEcho> {
  return new Promise((resolve, reject) => {
    const url = `ws://${LOOPBACK}:${ws.port}${path}`;
    const socket = new WebSocket(url, { headers, handshakeTimeout: timeoutMs });
    const messages: unknown[] = [];
    const timer = setTimeout(() => fail(new Error(`no echo on ${url} within ${timeoutMs} ms; got ${JSON.stringify(messages)}`)), timeoutMs);
    const fail = (error: Error) => {
      clearTimeout(timer);
      socket.terminate();
      reject(error);
    };
    socket.on('unexpected-response', (_req, res) => fail(new Error(`${url}: upgrade refused with HTTP ${res.statusCode}`)));
    socket.on('error', (error) => fail(error));
    socket.on('message', (data) => {
      messages.push(JSON.parse(String(data)));
      if (messages.length === 1) socket.send(text);
      if (messages.length === 2) {
        clearTimeout(timer);
        socket.close(1000);
        const [first, second] = messages as [{ hello?: unknown }, { instance?: unknown; echo?: unknown }];
        if (typeof first.hello !== 'string' || typeof second.instance !== 'string' || typeof second.echo !== 'string') {
          reject(new Error(`${url}: unexpected messages ${JSON.stringify(messages)}`));
          return;
        }
        resolve({ hello: first.hello, echo: { instance: second.instance, echo: second.echo } });
      }
    });
  });
}

// ---------------------------------------------------------------------------------------------
// Checks shared by the docker and binary suites

/** Starts `up`, waits for every instance ready and confirmed; reports the time it took. */
export async function startAndWaitReady(t: Diagnostic, ws: Workspace, count: number, label: string): Promise<{ run: UpRun; report: StatusReport; readyMs: number }> {
  const run = ws.up();
  const report = await run.waitAllReady(count);
  const readyMs = Math.round(performance.now() - run.startedAt);
  // Traefik's own view, independently of lb-dev's confirmation.
  const servers = await ws.apiServers();
  assert.equal(servers?.length, count, `expected Traefik's API to list ${count} servers, got ${JSON.stringify(servers)}`);
  const line = `${label}: up -> all ${count} demo instances ready and confirmed in Traefik: ${readyMs} ms (includes tsx start-up of the CLI and of each instance; Traefik: ${report.traefik.description})`;
  t.diagnostic(line);
  console.log(`[e2e] ${line}`);
  return { run, report, readyMs };
}

/** Requests without a cookie reach every instance. */
export async function checkReachesAll(t: Diagnostic, ws: Workspace, names: readonly string[]): Promise<void> {
  const counts: Record<string, number> = {};
  const seen = new Set<string>();
  // Poll with a deadline rather than a fixed count: Traefik's health checks reset on each reload.
  await waitUntil(async () => {
    for (let i = 0; i < names.length * 3; i++) {
      const answer = await info(ws);
      assert.equal(answer.status, 200, `expected 200 from the balancer, got ${answer.status} ${answer.text}`);
      const key = answer.instance ?? '?';
      counts[key] = (counts[key] ?? 0) + 1;
      seen.add(key);
    }
    return names.every((n) => seen.has(n));
  }, { timeoutMs: 20_000, intervalMs: 0, what: () => `answers from all of ${names.join(', ')}; got ${JSON.stringify(counts)}` });
  assert.deepEqual([...seen].sort(), [...names].sort(), `expected answers only from ${names.join(', ')}, got ${JSON.stringify(counts)}`);
  t.diagnostic(`requests without a cookie: ${JSON.stringify(counts)}`);
}

/** The sticky cookie pins a client to one instance (HTTP and WebSocket). Returns the pinned instance and cookie. */
export async function checkSticky(t: Diagnostic, ws: Workspace): Promise<{ instance: string; cookie: string }> {
  const first = await info(ws);
  assert.equal(first.status, 200);
  const cookie = cookieFrom(first.headers, STICKY_COOKIE);
  assert.ok(cookie, `expected a Set-Cookie ${STICKY_COOKIE}, got ${JSON.stringify(first.headers.getSetCookie())}`);
  assert.ok(first.instance);
  const answers: string[] = [];
  for (let i = 0; i < 15; i++) {
    const answer = await info(ws, { cookie });
    assert.equal(answer.status, 200);
    answers.push(answer.instance ?? '?');
  }
  assert.deepEqual(new Set(answers), new Set([first.instance]), `expected every answer with ${cookie} from ${first.instance}, got ${answers.join(',')}`);
  const socket = await wsEcho(ws, '/websocket', 'sticky?', { cookie });
  assert.equal(socket.hello, first.instance, `expected the WebSocket with the cookie on ${first.instance}, got ${socket.hello}`);
  t.diagnostic(`cookie ${cookie.split('=')[0]} pins to ${first.instance}: 15/15 HTTP answers and the WebSocket`);
  return { instance: first.instance, cookie };
}

/** WebSockets on /websocket, /sockjs and a Meteor-style /sockjs/... path connect through Traefik and echo. */
export async function checkWebSockets(t: Diagnostic, ws: Workspace, names: readonly string[]): Promise<void> {
  for (const path of ['/websocket', '/sockjs', '/sockjs/123/abcdefgh/websocket']) {
    const text = `ping ${path} ${Date.now()}`;
    const result = await wsEcho(ws, path, text);
    assert.ok(names.includes(result.hello), `expected {hello: <instance>} from one of ${names.join(', ')} on ${path}, got ${result.hello}`);
    assert.deepEqual(result.echo, { instance: result.hello, echo: text }, `expected the echo from the same instance on ${path}`);
    t.diagnostic(`WebSocket ${path}: hello from ${result.hello}, echo ok`);
  }
}

export interface KillFigures {
  /** From the SIGKILL to Traefik's API no longer listing the instance. */
  goneFromApiMs: number;
  /** From the SIGKILL to the API listing it again after the automatic restart. */
  backInApiMs: number;
}

/**
 * Kills one instance, then checks it leaves Traefik (API and traffic) and comes back after
 * the restart. `how`: SIGKILL to its process group from here, or `lb-dev kill <n>`.
 */
export async function checkKillAndReturn(t: Diagnostic, ws: Workspace, run: UpRun, index: number, how: 'sigkill' | 'cli'): Promise<KillFigures> {
  const name = `app-${index}`;
  const before = instanceOf(await run.status(), name);
  assert.equal(before.state, 'ready');
  assert.ok(before.pid, `expected ${name} to have a pid`);
  const oldPid = before.pid;
  assert.ok(before.port, `expected ${name} to have a port`);
  const url = serverFor(await ws.apiServers(), before.port);
  assert.ok(url, `expected Traefik's API to list ${name} (port ${before.port}) before the kill`);

  // A client pinned to the victim, to check it fails over.
  const pinned = await waitUntil(async () => {
    const answer = await info(ws);
    return answer.instance === name ? cookieFrom(answer.headers, STICKY_COOKIE) : null;
  }, { timeoutMs: 15_000, intervalMs: 0, what: `an answer from ${name} to pin a client to it` });

  const outputBefore = run.output().length;
  let killedAt: number;
  if (how === 'sigkill') {
    killedAt = performance.now();
    process.kill(-oldPid, 'SIGKILL'); // its whole process group: what a crash of the dev server looks like
  } else {
    const started = performance.now();
    const result = await ws.cli(['kill', String(index)]);
    assert.equal(result.code, 0, `lb-dev kill ${index}: ${result.stdout}${result.stderr}`);
    // The kill happened somewhere while the CLI ran (tsx start-up is most of it): count from
    // the CLI's start, so the figure is an upper bound.
    killedAt = started;
    t.diagnostic(`lb-dev kill ${index} took ${result.ms} ms (mostly the CLI's own start-up)`);
  }

  // Traefik's API stops listing it.
  let polls = 0;
  await waitUntil(async () => {
    polls++;
    const servers = await ws.apiServers();
    return servers !== null && !servers.includes(url);
  }, { timeoutMs: 15_000, intervalMs: 10, what: `Traefik's API to drop ${url} after the kill` });
  const goneFromApiMs = Math.round(performance.now() - killedAt);
  // lb-dev's own figure: its route write, counted from when it saw the exit.
  const written = [...run.output().slice(outputBefore).matchAll(/routes -> \[([^\]]*)\] \((\d+)ms after the last exit\)/g)]
    .filter((m) => !m[1]!.split(', ').includes(name)).pop();
  const line = `${how === 'sigkill' ? 'SIGKILL' : '`lb-dev kill`'} ${name} -> gone from Traefik's API: ${goneFromApiMs} ms (${polls} polls)`
    + (written ? `; lb-dev wrote the routes ${written[2]} ms after it saw the exit` : '');
  t.diagnostic(line);
  console.log(`[e2e] ${line}`);

  // Traffic stops reaching it: every answer is a 200 from another instance, also for the pinned client.
  const others = new Set<string>();
  for (let i = 0; i < 20; i++) {
    const answer = await info(ws);
    assert.equal(answer.status, 200, `expected 200 after ${name} left, got ${answer.status} ${answer.text}`);
    assert.notEqual(answer.instance, name, `expected no answer from ${name} after it left Traefik`);
    others.add(answer.instance ?? '?');
  }
  const failover = await info(ws, { cookie: pinned });
  assert.equal(failover.status, 200, `expected the client pinned to ${name} to get a 200 elsewhere, got ${failover.status} ${failover.text}`);
  assert.notEqual(failover.instance, name);
  t.diagnostic(`after the kill: 20/20 answers from ${[...others].sort().join(', ')}; the client pinned to ${name} moved to ${failover.instance}`);

  // It comes back: restarted (new pid), ready, listed again, and answering through the balancer.
  const after = await run.waitFor((r) => {
    const i = instanceOf(r, name);
    return i.state === 'ready' && i.inBalancer && i.pid !== null && i.pid !== oldPid && i.restarts >= 1 && i.port !== null ? { ...i, port: i.port } : null;
  }, `${name} restarted and ready`, READY_TIMEOUT_MS);
  await waitUntil(async () => serverFor(await ws.apiServers(), after.port), {
    timeoutMs: 15_000, intervalMs: 10, what: `Traefik's API to list ${name} (port ${after.port}) again`,
  });
  const backInApiMs = Math.round(performance.now() - killedAt);
  assert.equal(pidAlive(oldPid), false, `expected the killed pid ${oldPid} to be gone`);
  await waitUntil(async () => (await info(ws)).instance === name, {
    timeoutMs: 20_000, intervalMs: 0, what: `traffic to reach ${name} again after its restart`,
  });
  const back = `${name} back after the restart: listed by Traefik's API ${backInApiMs} ms after the kill (restarts=${after.restarts}, pid ${oldPid} -> ${after.pid}), and answering through the balancer`;
  t.diagnostic(back);
  console.log(`[e2e] ${back}`);
  return { goneFromApiMs, backInApiMs };
}
