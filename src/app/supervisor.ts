/**
 * The set of instances and the routes that follow them. Owns the instances (by group) and
 * their route reconciler: an instance entering or leaving the balancer pushes the servers that
 * take traffic now, why and when; the reconciler never asks back. Knows nothing of the CLI, the
 * control socket or Traefik's runtime (src/app/up.ts wires those).
 */
import type { GroupConfig, LbDevConfig } from '../core/config/types.js';
import { LbDevError } from '../core/errors.js';
import type { RouteServer } from '../core/traefik/dynamic-config.js';
import type { PortAllocator } from '../adapters/ports.js';
import type { LifelineWatch } from '../adapters/process/lifeline.js';
import { Instance, type InstanceLogSink, type InstanceStatus } from './instance.js';
import { Observers } from './observers.js';
import { RestartTriggers } from './restart-triggers.js';
import type { RouteCause } from './routes/route-events.js';
import type { RouteReconciler } from './routes/route-reconciler.js';
import { startInOrder } from './start-order.js';
import { type Claim, Claims, TurnQueue } from './supervision/turns.js';
import { setTimeout as sleep } from 'node:timers/promises';

export interface SupervisorDeps {
  config: LbDevConfig;
  ports: PortAllocator;
  logs: InstanceLogSink;
  balancerUrl: string;
  baseEnv: Record<string, string>;
  /** Where the instances' route changes are pushed (Traefik's part owns it and the file). */
  routes: RouteReconciler;
  /** Told of every instance's process group (see Instance). */
  lifeline?: LifelineWatch;
}

/** How an operation on one instance ended: carried out, or left off because something newer took over. */
export type Outcome = { done: true } | { done: false; reason: string };

const leftOff = (claim: Claim): Outcome => ({ done: false, reason: claim.supersededBy() });

export interface SupervisorEvents {
  /** Some instance's status changed. */
  changed(): void;
}

export class Supervisor {
  private readonly groups = new Map<string, Instance[]>();
  private readonly observers = new Observers<SupervisorEvents>();
  readonly routes: RouteReconciler;
  /** restartOn: rolling restarts on another group's log line or a file change. */
  private readonly triggers: RestartTriggers;
  /** Aborted by stopAll(): start-up ordering (dependsOn, startOrder) stops waiting. */
  private readonly stopping = new AbortController();
  private readonly rollingRestarts = new Map<Instance, Promise<Outcome>>();
  /** The newest operation on each instance; older ones stop at their next step. */
  private readonly claims = new Claims<Instance>();
  /** Scales of one group take turns, so a scale-up never meets the instances a scale-down is still stopping. */
  private readonly scales = new TurnQueue<string>();

  constructor(private readonly deps: SupervisorDeps) {
    this.routes = deps.routes;
    this.triggers = new RestartTriggers({
      groups: deps.config.groups,
      members: (group) => this.groups.get(group) ?? [],
      restartRolling: (instance, drainMs) => this.restartRolling(instance, drainMs),
      note: (source, text) => deps.logs.event(source, text),
    });
    for (const group of deps.config.groups) {
      this.groups.set(
        group.name,
        Array.from({ length: group.instances }, (_, i) => this.create(group, i + 1)),
      );
    }
  }

  private create(group: GroupConfig, index: number): Instance {
    const logs = this.deps.logs;
    let instance: Instance;
    instance = new Instance(group, index, {
      ports: this.deps.ports,
      // Every output line also goes past the restart triggers (restartOn.logPattern).
      logs: {
        append: (source, stream, text) => {
          logs.append(source, stream, text);
          this.triggers.line(instance, text);
        },
        event: (source, text) => logs.event(source, text),
      },
      peerPorts: (name) => this.instances().find((i) => i.name === name)?.allPorts,
      buildStamp: () => RestartTriggers.stampOf(group),
      balancerUrl: this.deps.balancerUrl,
      baseEnv: this.deps.baseEnv,
      // A server that failed (exited, unhealthy) is written out at once; one joining, or drained
      // on purpose (often several together: a scale-down, the shutdown), waits for the tick's other changes.
      onRoutesChanged: (changed, exitSeenAt) => {
        const cause: RouteCause = changed.takesTraffic ? 'joined' : changed.drained ? 'drained' : 'failed';
        const exited = cause === 'failed' && exitSeenAt !== null;
        this.routes.push({ servers: this.routeSnapshot(), cause, instance: changed.name, at: exited ? exitSeenAt : Date.now(), exited });
      },
      onChange: () => this.observers.emit('changed'),
      lifeline: this.deps.lifeline,
    });
    return instance;
  }

  observe(observer: Partial<SupervisorEvents>): () => void {
    return this.observers.add(observer);
  }

  instances(): Instance[] {
    return [...this.groups.values()].flat();
  }

  /** The servers that take traffic now, for the route renderer. */
  routeSnapshot(): RouteServer[] {
    return this.instances()
      .filter((i) => i.takesTraffic && i.port !== null)
      .map((i) => ({ name: i.name, port: i.port! }));
  }

  status(): InstanceStatus[] {
    return this.instances().map((i) => i.status());
  }

  /** Starts every group, honouring dependsOn and startOrder; restart triggers watch from now on. */
  startAll(): void {
    this.triggers.start();
    void startInOrder({
      groups: this.deps.config.groups,
      members: (group) => this.groups.get(group) ?? [],
      onChange: (listener) => this.observe({ changed: listener }),
      cancelled: this.stopping.signal,
      note: (source, text) => this.deps.logs.event(source, text),
    });
  }

  /** Claims `instance` for an operation (see Claims): `what` is how an older operation reports being overtaken. */
  private claim(instance: Instance, what: string): Claim {
    return this.claims.claim(instance, what, () =>
      this.stopping.signal.aborted ? 'lb-dev is shutting down' : instance.removed ? 'removed by a scale-down' : null,
    );
  }

  /**
   * One instance of a rolling restart: out of the balancer (confirmed by Traefik), drained,
   * stopped, started, ready, and back in. The others keep serving meanwhile. Left off (and
   * said why) when a newer operation on the instance, a scale-down or the shutdown overtakes it.
   */
  restartRolling(instance: Instance, drainMs: number): Promise<Outcome> {
    // A restart trigger and `lb-dev restart --rolling` may ask at once: one restart serves both.
    const under = this.rollingRestarts.get(instance);
    if (under) return under;
    const claim = this.claim(instance, 'restarted meanwhile by another restart');
    const restart = (async (): Promise<Outcome> => {
      if (!claim.current()) return leftOff(claim);
      await this.retire([instance], drainMs);
      return claim.current() ? this.startAgain(instance, claim) : leftOff(claim);
    })().finally(() => this.rollingRestarts.delete(instance));
    this.rollingRestarts.set(instance, restart);
    return restart;
  }

  /** Stopped, then started again at once (no drain first): what `lb-dev restart NAME` does. */
  async restart(instance: Instance): Promise<Outcome> {
    const claim = this.claim(instance, 'restarted meanwhile by another restart');
    if (!claim.current()) return leftOff(claim);
    await instance.stop();
    return claim.current() ? this.startAgain(instance, claim) : leftOff(claim);
  }

  /** Out of the balancer, then stopped; it stays out (and stopped) until start(). */
  async stopInstance(instance: Instance): Promise<void> {
    this.claim(instance, 'stopped meanwhile by `lb-dev stop`');
    await this.retire([instance], 0);
  }

  /** Back in the set that runs: started (in the balancer once ready). Refused for a removed instance. */
  startInstance(instance: Instance): void {
    const claim = this.claim(instance, 'started meanwhile by `lb-dev start`');
    if (!claim.current()) throw this.notFound(instance.name, claim.supersededBy());
    instance.setDrained(false);
    instance.start();
  }

  /** Started, ready (or given up), then let back into the balancer, unless a newer operation took over meanwhile. */
  private async startAgain(instance: Instance, claim: Claim): Promise<Outcome> {
    instance.start();
    await instance.whenReady();
    if (!claim.current()) return leftOff(claim);
    await this.admit([instance]);
    return { done: true };
  }

  /** `app-2`, `2` (the first group's), or a group-qualified name. */
  find(name: string): Instance {
    const all = this.instances();
    const first = this.deps.config.groups[0]?.name;
    const wanted = /^\d+$/.test(name) ? `${first}-${name}` : name;
    const found = all.find((i) => i.name === wanted);
    if (!found) throw this.notFound(name);
    return found;
  }

  private notFound(name: string, why?: string): LbDevError {
    const names = this.instances().map((i) => i.name);
    const expected = names.length ? `expected one of ${names.join(', ')}` : 'there are none now (`lb-dev scale N` adds some)';
    return new LbDevError('INSTANCE_NOT_FOUND', `no instance named ${JSON.stringify(name)}${why ? ` (${why})` : ''}; ${expected}`);
  }

  /**
   * Grows or shrinks a group to `count`. New instances start at once; removed ones (the
   * highest numbers) are forgotten at once (never started again, a roll of them is left off),
   * leave the balancer, then stop. Resolves when removed ones are gone. Scales of a group take turns.
   */
  async scale(count: number, groupName?: string, drainMs = 1_000): Promise<{ added: string[]; removed: string[] }> {
    const group = groupName ? this.deps.config.groups.find((g) => g.name === groupName) : this.deps.config.groups[0];
    if (!group) throw new LbDevError('INSTANCE_NOT_FOUND', `no group named ${JSON.stringify(groupName)}`);
    if (!Number.isInteger(count) || count < 0 || count > 64) {
      throw new LbDevError('USAGE', `scale: expected a whole number of instances from 0 to 64, got ${count}`);
    }
    return this.scales.run(group.name, () => this.resize(group, count, drainMs));
  }

  private async resize(group: GroupConfig, count: number, drainMs: number): Promise<{ added: string[]; removed: string[] }> {
    if (this.stopping.signal.aborted) throw new LbDevError('NOT_RUNNING', 'lb-dev is shutting down: nothing to scale');
    const list = this.groups.get(group.name)!;
    const added: Instance[] = [];
    while (list.length < count) {
      const instance = this.create(group, list.length + 1);
      list.push(instance);
      added.push(instance);
      instance.start();
    }
    const removed = list.splice(count);
    for (const instance of removed) instance.remove();
    if (removed.length) {
      await this.retire(removed, drainMs);
      for (const instance of removed) instance.releasePorts();
    }
    this.observers.emit('changed');
    return { added: added.map((i) => i.name), removed: removed.map((i) => i.name) };
  }

  /**
   * The one way instances leave on purpose: out of the balancer (confirmed by Traefik), a
   * wait for requests already on their way, then stop. No request meets a dying instance.
   * They stay drained; admit() lets them back in.
   */
  async retire(instances: readonly Instance[], drainMs: number): Promise<void> {
    for (const instance of instances) instance.setDrained(true);
    await this.routes.flush();
    if (drainMs > 0) await sleep(drainMs);
    await Promise.all(instances.map((instance) => instance.stop()));
  }

  /** Lets retired instances back into the balancer: at once when ready, else once they are. */
  async admit(instances: readonly Instance[]): Promise<void> {
    for (const instance of instances) instance.setDrained(false);
    await this.routes.flush();
  }

  /**
   * Shutdown: every instance retired at once, so the last routes written (and confirmed while
   * Traefik still runs) have no servers; then no more writes.
   */
  async stopAll(): Promise<void> {
    this.stopping.abort();
    this.triggers.close();
    for (const instance of this.instances()) instance.remove();
    await this.retire(this.instances(), 0);
    this.routes.close();
  }
}
