/**
 * `lb-dev up` (the built CLI, default traefik.mode auto) on a machine without Docker and
 * without Traefik: DOCKER_HOST at a dead socket, an empty cache dir, no traefik on PATH. It
 * must choose a local binary, download it from the release mirror (a loopback server made
 * from the real cached Traefik binary, with its SHA-256 checksums file), serve the demo
 * through it on the balancer port, and on the second start reuse the cache (no download).
 * The second start also leaves traefik.apiPort unset while 8080 is taken: it takes a free one.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { type Server, createServer } from 'node:http';
import { type Server as NetServer, createServer as createNetServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { delimiter, join } from 'node:path';
import { tmpdir } from 'node:os';
import { performance } from 'node:perf_hooks';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { after, before, describe, it } from 'node:test';
import { parse, stringify } from 'yaml';
import { tarStream } from '../../src/adapters/traefik/obtain/tar-pack.js';
import { PINNED_TRAEFIK_VERSION, checksumsFileName, releaseArchiveName, releasePlatform } from '../../src/core/traefik/release.js';
import { traefikBinaryGate } from '../helpers/e2e-gate.js';
import { portFree } from '../helpers/http.js';
import { BUILT_CLI } from '../helpers/lb-dev/cli.js';
import { type LbDevRun, LbDevRun as Run, Workspace, demoGroups, info, waitUntil } from '../helpers/lb-dev/index.js';

const gate = await traefikBinaryGate();
const VERSION = PINNED_TRAEFIK_VERSION;
const DEFAULT_API_PORT = 8080;

/** A mirror of Traefik's release downloads on 127.0.0.1 serving one archive and its checksums; counts requests. */
async function startMirror(binary: string, dir: string): Promise<{ url: string; requests: Map<string, number>; server: Server }> {
  const release = releasePlatform(process.platform, process.arch);
  if (!release) throw new Error(`no Traefik release for ${process.platform}/${process.arch}`);
  // A ~180 MB binary: packed with lb-dev's own tar writer and gzip level 1 (seconds, not the minute of -9).
  const archivePath = join(dir, 'release.tar.gz');
  await pipeline(
    tarStream([{ type: 'file', name: 'traefik', mode: 0o755, size: (await stat(binary)).size, source: binary }]),
    createGzip({ level: 1 }),
    createWriteStream(archivePath),
  );
  const size = (await stat(archivePath)).size;
  const hash = createHash('sha256');
  await pipeline(createReadStream(archivePath), hash);
  const archiveName = releaseArchiveName(VERSION, release);
  const sums = `${hash.digest('hex')}  ${archiveName}\n`;
  const requests = new Map<string, number>();
  const server = createServer((req, res) => {
    const path = req.url ?? '';
    requests.set(path, (requests.get(path) ?? 0) + 1);
    if (path === `/${VERSION}/${checksumsFileName(VERSION)}`) return void res.end(sums);
    if (path === `/${VERSION}/${archiveName}`) {
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': size });
      return void createReadStream(archivePath).pipe(res);
    }
    res.writeHead(404).end('Not Found');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests, server };
}

/** PATH without any directory holding a `traefik`. */
function pathWithoutTraefik(): string {
  return (process.env['PATH'] ?? '')
    .split(delimiter)
    .filter((dir) => dir && !existsSync(join(dir, 'traefik')))
    .join(delimiter);
}

/** Holds 127.0.0.1:8080 for the second start unless something already does. */
async function holdDefaultApiPort(): Promise<NetServer | null> {
  if (!(await portFree(DEFAULT_API_PORT))) return null;
  const server = createNetServer();
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(DEFAULT_API_PORT, '127.0.0.1', resolve));
  return server;
}

describe('lb-dev up without Docker or Traefik: auto mode downloads Traefik, then reuses the cache', { skip: gate.skip || false, timeout: 600_000 }, () => {
  let dir: string;
  let mirror: Awaited<ReturnType<typeof startMirror>>;
  let ws: Workspace;
  let env: NodeJS.ProcessEnv;
  let cacheDir: string;

  before(async () => {
    if (gate.skip !== false) return;
    assert.ok(existsSync(BUILT_CLI), `expected the built CLI at ${BUILT_CLI}: run \`npx tsc -p tsconfig.build.json\` (npm test builds it)`);
    dir = await mkdtemp(join(tmpdir(), 'lb-dev-nodocker-'));
    mirror = await startMirror(gate.binary, dir);
    cacheDir = join(dir, 'cache');
    env = {
      DOCKER_HOST: 'unix:///nonexistent.sock',
      LB_DEV_CACHE_DIR: cacheDir,
      XDG_CACHE_HOME: join(dir, 'xdg-cache'),
      PATH: pathWithoutTraefik(),
      LB_DEV_TRAEFIK_DOWNLOAD_URL: mirror.url,
    };
    // The default mode (auto): the workspace's `mode: external` is taken out of the file.
    ws = await Workspace.create({ groups: demoGroups(2), config: { traefik: { mode: undefined } } });
  });

  after(async () => {
    await ws?.cleanup();
    if (mirror)
      await new Promise<void>((resolve) => {
        mirror.server.closeAllConnections();
        mirror.server.close(() => resolve());
      });
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  /** Starts the built `up`, waits for both instances confirmed and the demo answering through the balancer. */
  async function startAndServe(label: string): Promise<{ run: LbDevRun; ms: number }> {
    const run = Run.startIn(ws, { env, built: true });
    await run.waitAllConfirmed(2);
    await waitUntil(async () => (await info(ws)).instance !== null, { timeoutMs: 20_000, intervalMs: 100, what: 'the demo answering through the balancer' });
    const ms = Math.round(performance.now() - run.startedAt);
    console.log(`[e2e] ${label}: up -> demo served through Traefik on ${ws.balancerUrl}: ${ms} ms`);
    return { run, ms };
  }

  async function stop(run: LbDevRun): Promise<void> {
    run.signal('SIGINT');
    const exit = await run.waitExit(60_000);
    assert.deepEqual(exit, { code: 0, signal: null }, `expected exit 0 after SIGINT, got ${JSON.stringify(exit)}\n${run.tail()}`);
    assert.deepEqual(ws.processes(), [], 'expected nothing left running (traefik, instances)');
  }

  it('first start: auto -> binary, downloaded from the mirror, checksum-verified, demo served', { timeout: 300_000 }, async (t) => {
    const { run, ms } = await startAndServe('first start (empty cache, download)');
    t.diagnostic(`first start (download): ${ms} ms`);
    const report = await run.status();
    assert.equal(report.traefik.mode, 'binary');
    assert.equal(report.traefik.configuredMode, 'auto');
    assert.match(report.traefik.why, /no Docker engine .*nonexistent\.sock/);
    assert.match(report.traefik.why, /downloaded/);
    const modeLines = run
      .output()
      .split('\n')
      .filter((line) => line.includes('traefik: auto -> '));
    assert.equal(modeLines.length, 1, `expected one line saying what auto chose, got:\n${run.output()}`);
    assert.match(modeLines[0]!, /traefik: auto -> binary: no Docker engine/);
    assert.match(run.output(), /downloading Traefik v3\.6\.\d+ from http:\/\/127\.0\.0\.1/);
    assert.equal(sumOf(mirror.requests), 2, `expected 2 requests (checksums, archive), got ${JSON.stringify([...mirror.requests])}`);
    assert.ok(existsSync(join(cacheDir, 'traefik', VERSION, 'traefik')), 'expected the binary in the empty cache dir given');
    assert.equal((await info(ws)).status, 200);
    await stop(run);
  });

  it('second start: the cached binary, no download; the default API port 8080 taken -> a free one', { timeout: 300_000 }, async (t) => {
    const before = sumOf(mirror.requests);
    // traefik.apiPort not set: 8080 is only a default, and it is taken (by this test, or already).
    const config = parse(await readFile(ws.configPath, 'utf8')) as { traefik: Record<string, unknown> };
    delete config.traefik['apiPort'];
    await writeFile(ws.configPath, stringify(config));
    const blocker = await holdDefaultApiPort();
    t.after(() => new Promise<void>((resolve) => (blocker ? blocker.close(() => resolve()) : resolve())));

    const { run, ms } = await startAndServe('second start (cached)');
    t.diagnostic(`second start (cached): ${ms} ms`);
    const report = await run.status();
    assert.equal(report.traefik.mode, 'binary');
    assert.match(report.traefik.why, /\(cached\)/);
    assert.equal(sumOf(mirror.requests), before, 'expected no request to the mirror on the second start');
    assert.doesNotMatch(run.output(), /downloading Traefik/);
    assert.match(run.output(), /Traefik's API port 8080 is taken .*using a free one: http:\/\/127\.0\.0\.1:\d+/);
    assert.ok(report.traefik.apiUrl && !report.traefik.apiUrl.endsWith(`:${DEFAULT_API_PORT}`), `expected another API port, got ${report.traefik.apiUrl}`);
    await stop(run);
  });
});

function sumOf(requests: Map<string, number>): number {
  return [...requests.values()].reduce((a, b) => a + b, 0);
}
