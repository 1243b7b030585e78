/**
 * A Docker engine of a test's own (its own socket, data and exec roots, its own bridge, no
 * iptables), so that a test can stop and restart an engine without touching the machine's
 * shared one. Needs root, dockerd and `ip`. The Traefik image is copied over from the shared engine.
 * Never `--bridge none`: dockerd then DELETES the interface docker0, which the shared engine's
 * default network needs.
 *
 *   const engine = await PrivateDocker.start();   // then DOCKER_HOST=engine.host for `up`
 *   await engine.stop(); await engine.restart(); await engine.destroy();
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Docker from 'dockerode';
import { connectDocker } from '../../src/adapters/traefik/docker.js';
import { waitUntil } from './wait.js';

export class PrivateDocker {
  private child: ChildProcess | null = null;

  private constructor(readonly root: string) {}

  /** Unique per engine: from the root's random suffix. */
  get bridge(): string {
    return `lbd${this.root.slice(-6).replace(/[^A-Za-z0-9]/g, '')}`;
  }

  get socket(): string {
    return join(this.root, 'docker.sock');
  }

  /** For DOCKER_HOST. */
  get host(): string {
    return `unix://${this.socket}`;
  }

  docker(): Docker {
    return new Docker({ socketPath: this.socket });
  }

  /** Why it cannot run here (not root, no dockerd), or null. */
  static unavailable(): string | null {
    if (process.getuid?.() !== 0) return 'a private Docker engine needs root';
    try {
      execFileSync('dockerd', ['--version'], { stdio: 'ignore' });
      execFileSync('ip', ['-V'], { stdio: 'ignore' });
    } catch {
      return 'no dockerd or ip executable on PATH';
    }
    return null;
  }

  static async start(image: string): Promise<PrivateDocker> {
    const engine = new PrivateDocker(mkdtempSync(join(tmpdir(), 'lbd-engine-')));
    // A bridge of its own (interface names: at most 15 characters).
    execFileSync('ip', ['link', 'add', 'name', engine.bridge, 'type', 'bridge']);
    execFileSync('ip', ['addr', 'add', '172.31.251.1/24', 'dev', engine.bridge]);
    try {
      await engine.restart();
      // Copy the image from the shared engine (no registry needed).
      const shared = (await connectDocker()).docker;
      const tar = await shared.getImage(image).get();
      const loading = await engine.docker().loadImage(tar);
      await new Promise<void>((resolve, reject) => engine.docker().modem.followProgress(loading, (error: Error | null) => (error ? reject(error) : resolve())));
    } catch (error) {
      await engine.destroy();
      throw error;
    }
    return engine;
  }

  /** Starts dockerd (again) and waits until it answers. */
  async restart(): Promise<void> {
    const child = spawn(
      'dockerd',
      [
        `--host=${this.host}`,
        '--data-root',
        join(this.root, 'data'),
        '--exec-root',
        join(this.root, 'exec'),
        '--pidfile',
        join(this.root, 'docker.pid'),
        '--bridge',
        this.bridge,
        '--iptables=false',
        '--ip6tables=false',
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let log = '';
    child.stderr!.on('data', (chunk: Buffer) => {
      log = (log + chunk.toString('utf8')).slice(-4_000);
    });
    this.child = child;
    await waitUntil(
      async () => {
        if (child.exitCode !== null) throw new Error(`dockerd exited (${child.exitCode}): ${log}`);
        return this.docker()
          .ping()
          .then(
            () => true,
            () => false,
          );
      },
      { timeoutMs: 60_000, intervalMs: 100, what: () => `the private dockerd to answer: ${log}` },
    );
  }

  /** Stops dockerd as a service manager would (SIGTERM): it stops its containers and exits. */
  async stop(): Promise<void> {
    const child = this.child;
    this.child = null;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }

  /** Stops dockerd, removes its containers' state, unmounts what it left mounted, deletes the root. Never throws. */
  async destroy(): Promise<void> {
    try {
      for (const c of await this.docker().listContainers({ all: true })) await this.docker().getContainer(c.Id).remove({ force: true });
    } catch {
      // not running
    }
    await this.stop().catch(() => undefined);
    const mounts = readFileSync('/proc/self/mounts', 'utf8')
      .split('\n')
      .map((line) => line.split(' ')[1] ?? '')
      .filter((path) => path.startsWith(this.root))
      .sort()
      .reverse();
    for (const path of mounts) {
      try {
        execFileSync('umount', ['-l', path], { stdio: 'ignore' });
      } catch {
        // already gone
      }
    }
    rmSync(this.root, { recursive: true, force: true });
    try {
      execFileSync('ip', ['link', 'del', this.bridge], { stdio: 'ignore' });
    } catch {
      // not created
    }
  }
}
