/**
 * A real Traefik container for end-to-end tests, built from lb-dev's own pieces (static config
 * renderer, container spec, dockerode wrapper, config writer, API client): host networking,
 * a bind-mounted config DIRECTORY in a temp dir, API and web entrypoint on free loopback ports.
 * Labelled per test so an interrupted run's container is removed by the next start.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lineSink } from '../../src/adapters/logs/log-line.js';
import { pollUntil } from '../../src/adapters/poll.js';
import { POLL_INTERVAL_MS, TraefikApi } from '../../src/adapters/traefik/api-client.js';
import { DynamicConfigWriter } from '../../src/adapters/traefik/config-writer.js';
import { connectDocker, managedLabels, type DockerEngine, type RunningContainer } from '../../src/adapters/traefik/docker.js';
import { buildContainerSpec } from '../../src/core/traefik/container-spec.js';
import { renderStaticConfig, staticConfigToYaml } from '../../src/core/traefik/static-config.js';
import { traefikImage } from './e2e-gate.js';
import { freePort, LOOPBACK } from './http.js';

const CONTAINER_CONFIG_DIR = '/etc/lb-dev';

export interface TraefikBedOptions {
  /** Names this test's containers: label value `test:<testName>`, container `lb-dev-test-<testName>-<pid>`. */
  testName: string;
  throttleMs?: number;
  /** Written before Traefik starts, so its first load already has it. */
  initialDynamicYaml?: string;
  startTimeoutMs?: number;
  logLevel?: 'DEBUG' | 'INFO';
}

export interface TraefikBed {
  /** Host dir mounted at /etc/lb-dev (static.yaml, dynamic/, tmp/). */
  configDir: string;
  writer: DynamicConfigWriter;
  api: TraefikApi;
  /** http://127.0.0.1:<web port> */
  webUrl: string;
  apiUrl: string;
  container: RunningContainer;
  /** Every Traefik log line so far, prefixed with its stream. */
  logLines: string[];
  /** Stops and removes the container, deletes the temp dir. Safe to call twice. */
  stop(): Promise<void>;
}

export function bedLabels(testName: string): Record<string, string> {
  return managedLabels(`test:${testName}`);
}

/** Removes what an earlier, interrupted run of this test left behind (containers and their temp dirs); returns the names removed. */
export async function removeBedLeftovers(testName: string, engine?: DockerEngine): Promise<string[]> {
  const docker = engine ?? (await connectDocker());
  const label = Object.entries(bedLabels(testName)).map(([k, v]) => `${k}=${v}`);
  const leftovers = await docker.docker.listContainers({ all: true, filters: { label } });
  const removed = await docker.removeLabelledContainers(bedLabels(testName));
  const ownTempDir = join(tmpdir(), `lb-dev-${testName}-`);
  for (const mount of leftovers.flatMap((c) => c.Mounts ?? [])) {
    if (mount.Source.startsWith(ownTempDir)) await rm(mount.Source, { recursive: true, force: true });
  }
  return removed;
}

export async function startTraefikBed(opts: TraefikBedOptions): Promise<TraefikBed> {
  const engine = await connectDocker();
  await removeBedLeftovers(opts.testName, engine);

  const configDir = await mkdtemp(join(tmpdir(), `lb-dev-${opts.testName}-`));
  const dynamicDir = join(configDir, 'dynamic');
  await mkdir(dynamicDir);
  const writer = new DynamicConfigWriter({ dir: dynamicDir, fileName: 'lb-dev.yaml', tmpDir: join(configDir, 'tmp') });
  if (opts.initialDynamicYaml !== undefined) await writer.write(opts.initialDynamicYaml);

  const [webPort, apiPort] = [await freePort(), await freePort()];
  const staticConfig = renderStaticConfig({
    dynamicDir: `${CONTAINER_CONFIG_DIR}/dynamic`,
    throttleMs: opts.throttleMs ?? 50,
    balancerPort: webPort,
    apiPort,
    ...(opts.logLevel ? { logLevel: opts.logLevel } : {}),
  });
  await writeFile(join(configDir, 'static.yaml'), staticConfigToYaml(staticConfig));

  const spec = buildContainerSpec({
    image: traefikImage(),
    name: `lb-dev-test-${opts.testName}-${process.pid}`,
    labels: bedLabels(opts.testName),
    network: 'host',
    configDirHost: configDir,
    containerConfigDir: CONTAINER_CONFIG_DIR,
    balancerPort: webPort,
    apiPort,
    bindHost: LOOPBACK,
  });
  let container: RunningContainer;
  try {
    container = await engine.startContainer(spec);
  } catch (error) {
    await rm(configDir, { recursive: true, force: true });
    throw error;
  }
  const logLines: string[] = [];
  const follower = await container.logs({
    stdout: lineSink((line) => logLines.push(`stdout: ${line}`)),
    stderr: lineSink((line) => logLines.push(`stderr: ${line}`)),
  });

  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    follower.close();
    await container.stop(2).catch(() => undefined);
    await removeBedLeftovers(opts.testName, engine).catch(() => undefined);
    await rm(configDir, { recursive: true, force: true });
  };

  const apiUrl = `http://${LOOPBACK}:${apiPort}`;
  const api = new TraefikApi(apiUrl);
  const up = await pollUntil(() => api.ping(), { timeoutMs: opts.startTimeoutMs ?? 20_000, intervalMs: POLL_INTERVAL_MS });
  if (up.outcome !== 'met') {
    const state = await container
      .inspect()
      .then((i) => `${i.State.Status} (exit ${i.State.ExitCode})`)
      .catch(() => 'gone');
    await stop();
    throw new Error(`Traefik did not answer ${apiUrl}/ping within ${up.elapsedMs} ms; container ${state}; log:\n${logLines.join('\n')}`);
  }
  return { configDir, writer, api, webUrl: `http://${LOOPBACK}:${webPort}`, apiUrl, container, logLines, stop };
}
