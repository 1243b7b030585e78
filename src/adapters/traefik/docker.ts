/**
 * The Docker engine, through dockerode (never the docker CLI): connect, check and pull the
 * image, clean up labelled leftovers, run the Traefik container and follow its log.
 */
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import Docker from 'dockerode';
import type { ContainerCreateOptions, ContainerInspectInfo } from 'dockerode';
import type { ContainerSpec } from '../../core/container.js';
import { LbDevError } from '../../core/errors.js';
import type { LineSink } from '../logs/log-line.js';

/** Every container lb-dev starts carries this label... */
export const MANAGED_LABEL = 'dev.lb-dev.managed';
/** ...and this one, naming the state dir, so each state dir removes only its own leftovers. */
export const STATE_DIR_LABEL = 'dev.lb-dev.state-dir';

export function managedLabels(stateDir: string): Record<string, string> {
  return { [MANAGED_LABEL]: 'true', [STATE_DIR_LABEL]: stateDir };
}

const PING_TIMEOUT_MS = 3000;

/**
 * The engine's create options for a spec. Always without a TTY or stdin (the log is read
 * demultiplexed) and without a restart policy: lb-dev watches the container and restarts it itself.
 */
export function createOptions(spec: ContainerSpec): ContainerCreateOptions {
  const portKeys = spec.ports.map((p) => `${p.containerPort}/tcp`);
  const published = spec.ports.length > 0;
  return {
    name: spec.name,
    Image: spec.image,
    Cmd: [...spec.cmd],
    Labels: { ...spec.labels },
    ...(spec.env ? { Env: Object.entries(spec.env).map(([key, value]) => `${key}=${value}`) } : {}),
    ...(spec.user ? { User: spec.user } : {}),
    Tty: false,
    AttachStdin: false,
    OpenStdin: false,
    ...(published ? { ExposedPorts: Object.fromEntries(portKeys.map((key) => [key, {}])) } : {}),
    HostConfig: {
      NetworkMode: spec.network,
      Binds: spec.binds.map((b) => `${b.hostPath}:${b.containerPath}`),
      RestartPolicy: { Name: 'no' },
      ...(published ? { PortBindings: Object.fromEntries(spec.ports.map((p, i) => [portKeys[i], [{ HostIp: p.hostIp, HostPort: String(p.hostPort) }]])) } : {}),
      ...(spec.extraHosts.length > 0 ? { ExtraHosts: spec.extraHosts.map((h) => `${h.name}:${h.address}`) } : {}),
    },
  };
}

export interface EngineInfo {
  serverVersion: string;
  operatingSystem: string;
  osType: string;
  architecture: string;
}

export type LogStream = 'stdout' | 'stderr';

export interface LogFollower {
  /** Stops following (the container keeps running). */
  close(): void;
  /** Settles when the log stream ends (container gone or close()). */
  ended: Promise<void>;
}

export interface RunningContainer {
  id: string;
  name: string;
  /** SIGTERM, SIGKILL after graceSec, then remove. A container already gone is fine. */
  stop(graceSec: number): Promise<void>;
  /** Follows stdout/stderr from the container's start into `output` (ended when the log stream ends). */
  logs(output: Record<LogStream, LineSink>): Promise<LogFollower>;
  inspect(): Promise<ContainerInspectInfo>;
}

/** Connects to the engine that DOCKER_HOST names, else to the first local socket that answers. */
export async function connectDocker(): Promise<DockerEngine> {
  const tried: string[] = [];
  const candidates: Array<{ label: string; options: Docker.DockerOptions | undefined }> = [];
  if (process.env['DOCKER_HOST']) {
    // docker-modem reads DOCKER_HOST (and DOCKER_TLS_VERIFY, DOCKER_CERT_PATH) itself.
    candidates.push({ label: `DOCKER_HOST=${process.env['DOCKER_HOST']}`, options: undefined });
  } else {
    for (const socketPath of localSocketCandidates()) {
      if (existsSync(socketPath)) candidates.push({ label: socketPath, options: { socketPath } });
      else tried.push(`${socketPath} (no such socket)`);
    }
  }
  for (const candidate of candidates) {
    try {
      const docker = new Docker(candidate.options);
      await withTimeout(docker.ping(), PING_TIMEOUT_MS, 'no answer to ping');
      return new DockerEngine(docker, candidate.label);
    } catch (error) {
      tried.push(`${candidate.label} (${errorText(error)})`);
    }
  }
  // Where it looked goes into details only: shown once, one line each, under the message.
  throw new LbDevError('DOCKER_UNAVAILABLE', `expected a Docker engine answering, found none (tried ${tried.length} place${tried.length === 1 ? '' : 's'})`, {
    details: tried,
  });
}

/** Where engines put their socket: system-wide, Docker Desktop, rootless, Colima, Rancher Desktop. */
function localSocketCandidates(): string[] {
  if (process.platform === 'win32') return ['//./pipe/docker_engine'];
  const home = homedir();
  const runtimeDir = process.env['XDG_RUNTIME_DIR'] ?? (process.getuid ? `/run/user/${process.getuid()}` : null);
  const list = ['/var/run/docker.sock', join(home, '.docker', 'run', 'docker.sock')];
  if (runtimeDir) list.push(join(runtimeDir, 'docker.sock'));
  list.push(join(home, '.colima', 'default', 'docker.sock'), join(home, '.rd', 'docker.sock'));
  return [...new Set(list)];
}

export class DockerEngine {
  readonly docker: Docker;
  /** What was connected to: a socket path or `DOCKER_HOST=...`. */
  readonly endpoint: string;

  constructor(docker: Docker, endpoint: string) {
    this.docker = docker;
    this.endpoint = endpoint;
  }

  async engineInfo(): Promise<EngineInfo> {
    const info = (await this.docker.info()) as Record<string, unknown>;
    return {
      serverVersion: String(info['ServerVersion'] ?? ''),
      operatingSystem: String(info['OperatingSystem'] ?? ''),
      osType: String(info['OSType'] ?? ''),
      architecture: String(info['Architecture'] ?? ''),
    };
  }

  async imageExists(name: string): Promise<boolean> {
    try {
      await this.docker.getImage(name).inspect();
      return true;
    } catch (error) {
      if (statusOf(error) === 404) return false;
      throw error;
    }
  }

  /** Pulls `name`; onProgress gets one line per progress event (e.g. "abc123: Downloading"). */
  async pullImage(name: string, onProgress: (line: string) => void): Promise<void> {
    try {
      const stream = await this.docker.pull(name);
      await new Promise<void>((resolve, reject) => {
        this.docker.modem.followProgress(
          stream,
          (error: Error | null) => (error ? reject(error) : resolve()),
          (event: { id?: string; status?: string; progress?: string }) => {
            const line = [event.id ? `${event.id}:` : '', event.status ?? '', event.progress ?? ''].filter(Boolean).join(' ');
            if (line) onProgress(line);
          },
        );
      });
    } catch (error) {
      throw new LbDevError('TRAEFIK_IMAGE_MISSING', `image ${name} is not present and pulling it failed: ${errorText(error)}`, { cause: error });
    }
  }

  /** Force-removes every container (running or not) carrying all these labels; returns their names. */
  async removeLabelledContainers(labelFilter: Record<string, string>): Promise<string[]> {
    const label = Object.entries(labelFilter).map(([k, v]) => `${k}=${v}`);
    if (label.length === 0) {
      throw new LbDevError('INTERNAL', 'removeLabelledContainers: expected at least one label, got none (that would match every container)');
    }
    const found = await this.docker.listContainers({ all: true, filters: { label } });
    const removed: string[] = [];
    for (const c of found) {
      try {
        await this.docker.getContainer(c.Id).remove({ force: true, v: true });
        removed.push((c.Names[0] ?? c.Id).replace(/^\//, ''));
      } catch (error) {
        // Gone already, or being removed by an AutoRemove: either way not ours to report.
        if (statusOf(error) !== 404 && statusOf(error) !== 409) throw error;
      }
    }
    return removed;
  }

  async startContainer(spec: ContainerSpec): Promise<RunningContainer> {
    const container = await this.docker.createContainer(createOptions(spec));
    try {
      await container.start();
    } catch (error) {
      await container.remove({ force: true }).catch(() => undefined);
      throw error;
    }
    const docker = this.docker;
    return {
      id: container.id,
      name: spec.name,
      async stop(graceSec: number) {
        try {
          await container.stop({ t: graceSec });
        } catch (error) {
          // 304: already stopped; 404: already gone.
          if (statusOf(error) !== 304 && statusOf(error) !== 404) throw error;
        }
        await container.remove({ force: true }).catch((error: unknown) => {
          if (statusOf(error) !== 404 && statusOf(error) !== 409) throw error;
        });
      },
      logs: (output) => followLogs(docker, container, output),
      inspect: () => container.inspect(),
    };
  }

  inspect(id: string): Promise<ContainerInspectInfo> {
    return this.docker.getContainer(id).inspect();
  }
}

async function followLogs(docker: Docker, container: Docker.Container, output: Record<LogStream, LineSink>): Promise<LogFollower> {
  const raw = (await container.logs({ follow: true, stdout: true, stderr: true })) as unknown as NodeJS.ReadableStream & {
    destroy?: () => void;
  };
  // Without a TTY, Docker multiplexes both streams with 8-byte frame headers.
  docker.modem.demuxStream(raw, writableInto(output.stdout), writableInto(output.stderr));
  const ended = new Promise<void>((resolve) => {
    let finished = false;
    const done = () => {
      if (finished) return;
      finished = true;
      output.stdout.end();
      output.stderr.end();
      resolve();
    };
    raw.on('end', done);
    raw.on('close', done);
    raw.on('error', done);
  });
  return { close: () => raw.destroy?.(), ended };
}

/** demuxStream writes into streams: this one hands each chunk to `sink` as it comes. */
function writableInto(sink: LineSink): Writable {
  return new Writable({
    write(chunk: Buffer, _encoding, done) {
      sink.write(chunk);
      done();
    },
  });
}

function statusOf(error: unknown): number | undefined {
  const status = (error as { statusCode?: unknown } | null)?.statusCode;
  return typeof status === 'number' ? status : undefined;
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${message} within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
