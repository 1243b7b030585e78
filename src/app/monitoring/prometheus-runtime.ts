/**
 * The Prometheus of `up --monitoring`: a container from a local image or a local binary,
 * chosen like Traefik's runtime (auto: Docker when the engine has the image, else the binary
 * on PATH; else a coded error listing what was tried). Its config and data live in the
 * state dir's prometheus/; it is started after Traefik and stopped before it, and supervised
 * like Traefik (prometheus-service.ts).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { LbDevError } from '../../core/errors.js';
import { shellQuote } from '../../core/text/shell-quote.js';
import { type ScrapeTarget, renderPrometheusConfig } from '../../core/monitoring/prometheus.js';
import { httpGet } from '../../adapters/http-get.js';
import { pollUntil } from '../../adapters/poll.js';
import { assertCommandExists } from '../../adapters/process/command-check.js';
import { LOG_SOURCE, type PrometheusContext, type PrometheusProcess } from './prometheus-process.js';

export const START_TIMEOUT_MS = 30_000;

export interface ScrapeSources {
  /** lb-dev's metrics endpoint port, or null when off. */
  metricsPort: number | null;
  /** Traefik's API (and /metrics) port, or null (external Traefik without apiUrl). */
  traefikPort: number | null;
}

export class PrometheusRuntime {
  private constructor(
    private readonly ctx: PrometheusContext,
    private readonly process: PrometheusProcess,
  ) {}

  static async create(ctx: PrometheusContext): Promise<PrometheusRuntime> {
    return new PrometheusRuntime(ctx, await choose(ctx));
  }

  get url(): string {
    return `http://127.0.0.1:${this.ctx.port}`;
  }

  describe(): string {
    return this.process.describe();
  }

  /** Writes the scrape config, starts Prometheus and resolves once it is ready; stops it again if it is not. */
  async start(sources: ScrapeSources): Promise<void> {
    const dir = join(this.ctx.layout.root, 'prometheus');
    await mkdir(join(dir, 'data'), { recursive: true, mode: 0o700 });
    const host = this.process.scrapeHost;
    const targets: ScrapeTarget[] = [];
    if (sources.metricsPort !== null) targets.push({ job: 'lb-dev', address: `${host}:${sources.metricsPort}`, metricsPath: '/metrics' });
    if (sources.traefikPort !== null) targets.push({ job: 'traefik', address: `${host}:${sources.traefikPort}`, metricsPath: '/metrics' });
    await writeFile(join(dir, 'prometheus.yml'), renderPrometheusConfig(this.ctx.config.monitoring.scrapeIntervalMs, targets), { mode: 0o600 });
    try {
      await this.process.start(dir);
      await this.waitReady();
    } catch (error) {
      await this.process.stop();
      throw error;
    }
  }

  stop(now?: boolean): Promise<void> {
    return this.process.stop(now);
  }

  downReason(): string | null {
    return this.process.downReason();
  }

  get onDown(): (() => void) | undefined {
    return this.process.onDown;
  }

  set onDown(callback: (() => void) | undefined) {
    this.process.onDown = callback;
  }

  /** One readiness check: /-/ready answers 200. */
  async ready(): Promise<boolean> {
    try {
      const { status } = await httpGet(`${this.url}/-/ready`, { timeoutMs: 1_000, maxBodyBytes: 0 });
      return status >= 200 && status < 300;
    } catch {
      return false;
    }
  }

  private async waitReady(): Promise<void> {
    const { outcome } = await pollUntil(async () => (await this.ready()) || !this.process.running(), { timeoutMs: START_TIMEOUT_MS, intervalMs: 200 });
    if (outcome === 'met' && this.process.running()) return;
    const lines = this.ctx.logs.recent([LOG_SOURCE], 15).map((l) => l.text);
    throw new LbDevError(
      'PROMETHEUS_START_FAILED',
      this.process.running()
        ? `Prometheus did not become ready at ${this.url}/-/ready within ${START_TIMEOUT_MS / 1000}s`
        : 'Prometheus exited during start-up',
      { details: lines.length ? ['its last log lines:', ...lines] : ['it printed nothing'] },
    );
  }
}

async function choose(ctx: PrometheusContext): Promise<PrometheusProcess> {
  const { mode, image, binary } = ctx.config.monitoring;
  const tried: string[] = [];
  if (mode !== 'binary') {
    try {
      // Loaded here, not at the top: dockerode stays in memory once loaded (~25 MB).
      const { connectDocker } = await import('../../adapters/traefik/docker.js');
      const engine = await connectDocker();
      if (await engine.imageExists(image)) {
        const { DockerPrometheus } = await import('./docker-prometheus.js');
        return await DockerPrometheus.create(ctx, engine);
      }
      tried.push(`docker: image ${image} is not in the engine (${engine.endpoint}); create it with scripts/provide-prometheus.sh`);
    } catch (error) {
      tried.push(`docker: ${(error as Error).message}`);
    }
  }
  if (mode !== 'docker') {
    try {
      assertCommandExists(binary.includes(' ') ? shellQuote(binary) : binary, process.cwd(), process.env.PATH, 'monitoring.binary');
      const { BinaryPrometheus } = await import('./binary-prometheus.js');
      return new BinaryPrometheus(ctx);
    } catch (error) {
      tried.push(`binary: ${(error as Error).message}`);
    }
  }
  throw new LbDevError('PROMETHEUS_UNAVAILABLE', `expected a way to run Prometheus for --monitoring (monitoring.mode ${mode}), found none`, { details: tried });
}
