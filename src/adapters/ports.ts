/**
 * Free ports for instances. get-port finds a free port (below the ephemeral range first: see
 * portCandidates); this keeps a set of ports lb-dev has handed out or reserved (the balancer,
 * Traefik's API, every instance and its extra ports) so that two instances never get the same
 * one, even before either has bound it.
 */
import { createServer } from 'node:net';
import getPort from 'get-port';
import { LbDevError } from '../core/errors.js';
import { ephemeralPortRange } from './platform-facts.js';

const FIRST_CANDIDATE = 10_000;
/** MongoDB's ports: a Rocket.Chat developer's database may not be running yet when lb-dev picks. */
const AVOID = new Set([27017, 27018, 27019]);

/**
 * Random ports from 10000 up to the start of the kernel's ephemeral range, for get-port to try
 * first. A port found free is bound later (an app can take a minute to start), and meanwhile any
 * outgoing connection (lb-dev's probes, the app's database pool) may take an ephemeral port and
 * keep it in TIME_WAIT for 60 s after it closes, which makes the later bind fail with EADDRINUSE.
 * Below the range only a process binding that very port can take it. `ephemeralStart` null
 * (no such range known) -> [] and get-port picks any free port.
 */
export function portCandidates(ephemeralStart: number | null, count = 50, random = Math.random): number[] {
  return ephemeralStart === null || ephemeralStart - FIRST_CANDIDATE < 1_000
    ? []
    : candidatesIn({ first: FIRST_CANDIDATE, last: ephemeralStart - 1 }, count, random);
}

/** Random ports of `range` (instancePorts: 20000-29999), MongoDB's left out. */
export function candidatesIn(range: PortRange, count = 50, random = Math.random): number[] {
  const candidates: number[] = [];
  const size = range.last - range.first + 1;
  for (let tries = 0; candidates.length < count && tries < count * 4; tries++) {
    const port = range.first + Math.floor(random() * size);
    if (!AVOID.has(port)) candidates.push(port);
  }
  return candidates;
}

export interface PortRange {
  first: number;
  last: number;
}

/** The first port of the kernel's ephemeral range (Linux: 32768 by default; macOS: 49152); null when unknown. */
export async function ephemeralStart(): Promise<number | null> {
  return (await ephemeralPortRange())?.first ?? null;
}

export function isPortFree(port: number, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.unref();
    server.once('error', () => resolve(false));
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

export async function assertPortFree(port: number, host: string, what: string, setting = '--port'): Promise<void> {
  if (!(await isPortFree(port, host))) {
    throw new LbDevError('PORT_IN_USE', `${what} port ${port} on ${host} is already in use by another process`, {
      fix: `Stop whatever listens there (\`lsof -nP -iTCP:${port} -sTCP:LISTEN\` shows it), or choose another port (${setting}).`,
    });
  }
}

export interface ListenPortOptions {
  host: string;
  /** Whether the user set this port: a taken one is then PORT_IN_USE instead of giving way. */
  explicit: boolean;
  /** `Traefik's API`, `the dashboard`: for the message. */
  what: string;
  /** `traefik.apiPort`: where to choose another, for the fix. */
  setting: string;
}

/**
 * The one way `up` picks a port for something of its own to listen on (Traefik's API, the
 * dashboard, the metrics endpoint, Prometheus): `auto` = a free one; a set port when free; a
 * taken set port is PORT_IN_USE; a taken default (another lb-dev from a second checkout holds
 * it) gives way to a free one, said by `movedFrom`. The port is reserved in `ports` either way.
 */
export async function claimListenPort(
  wanted: number | 'auto',
  ports: PortAllocator,
  opts: ListenPortOptions,
): Promise<{ port: number; movedFrom: number | null }> {
  if (wanted !== 'auto') {
    if (await isPortFree(wanted, opts.host)) {
      ports.reserve(wanted);
      return { port: wanted, movedFrom: null };
    }
    if (opts.explicit) await assertPortFree(wanted, opts.host, opts.what, opts.setting);
  }
  const [port] = await ports.allocate(0, false);
  return { port: port!, movedFrom: wanted === 'auto' ? null : wanted };
}

export class PortAllocator {
  private readonly taken = new Set<number>();

  /** `range`: instancePorts, where instances' ports are picked (null: below the ephemeral range). */
  constructor(
    private readonly host: string,
    private readonly range: PortRange | null = null,
  ) {}

  reserve(...ports: number[]): void {
    for (const port of ports) this.taken.add(port);
  }

  release(...ports: number[]): void {
    for (const port of ports) this.taken.delete(port);
  }

  /** A free port plus `extra` free ports right after it (port+1 ... port+extra), all reserved; in instancePorts unless `inRange` is false. */
  async allocate(extra = 0, inRange = true): Promise<number[]> {
    const range = inRange ? this.range : null;
    for (let attempt = 0; attempt < 50; attempt++) {
      const candidates = range ? candidatesIn(range) : portCandidates(await ephemeralStart());
      const port = await getPort({ host: this.host, exclude: [...this.taken], port: candidates });
      const block = Array.from({ length: extra + 1 }, (_, i) => port + i);
      // get-port falls back to any free port when no candidate is: outside the range, try again.
      const outside = range !== null && (port < range.first || block.at(-1)! > range.last);
      if (outside || block.at(-1)! > 65535 || block.some((p) => this.taken.has(p))) continue;
      const free = await Promise.all(block.slice(1).map((p) => isPortFree(p, this.host)));
      // A concurrent allocate() may have reserved part of this block while we awaited: check
      // again now, and reserve in the same tick.
      if (free.every(Boolean) && !block.some((p) => this.taken.has(p))) {
        this.reserve(...block);
        return block;
      }
    }
    const where = range ? ` in instancePorts ${range.first}-${range.last}` : '';
    throw new LbDevError('PORT_IN_USE', `could not find ${extra + 1} consecutive free ports on ${this.host}${where} after 50 tries`, {
      fix: range ? 'Widen instancePorts, or stop what holds its ports.' : 'Stop some of what listens on this machine.',
    });
  }
}
