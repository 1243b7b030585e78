/**
 * kill, stop, start, restart (rolling) and scale over the supervisor, with checked params
 * (params.ts). Leaving on purpose goes through Supervisor.retire/admit (via stop, rolling
 * restart, scale); the instance is told what was asked in its log.
 */
import { LbDevError } from '../../core/errors.js';
import type { Instance } from '../instance.js';
import type { Outcome, Supervisor } from '../supervisor.js';
import { KILL_ORIGINS, type Operations } from './contract.js';

export interface InstanceOperationsContext {
  /** Null while `up` is still starting. */
  supervisor: () => Supervisor | null;
  /** A line in the instance's log (the log hub's event). */
  note: (source: string, text: string) => void;
}

type Acting = Pick<Operations, 'kill' | 'stop' | 'start' | 'restart' | 'scale'>;

export function instanceOperations(ctx: InstanceOperationsContext): Acting {
  const sup = (): Supervisor => {
    const s = ctx.supervisor();
    if (!s) throw new LbDevError('NOT_RUNNING', 'lb-dev is still starting; try again in a moment');
    return s;
  };
  const note = (instance: Instance, text: string) => ctx.note(instance.name, text);

  return {
    async kill({ instance, random, signal, by }) {
      let target: Instance;
      if (random) {
        const candidates = sup()
          .instances()
          .filter((i) => i.pid !== null);
        if (candidates.length === 0) {
          throw new LbDevError('INSTANCE_NOT_RUNNING', 'no instance has a process to kill (all are stopped or between a crash and their restart)');
        }
        target = candidates[Math.floor(Math.random() * candidates.length)]!;
      } else {
        target = sup().find(instance!);
      }
      const pid = target.pid;
      // Said only once it went out: a stopped instance gets nothing, and the log must not claim otherwise.
      if (pid === null || !(await target.signal(signal))) throw notRunning(target, sup());
      note(target, `${signal} sent by ${KILL_ORIGINS[by]}`);
      return { instance: target.name, pid, signal };
    },
    async stop(params) {
      const instance = sup().find(params.instance);
      note(instance, 'stop requested by `lb-dev stop`');
      await sup().stopInstance(instance);
      return { instance: instance.name, state: instance.phase };
    },
    async start(params) {
      const instance = sup().find(params.instance);
      sup().startInstance(instance);
      note(instance, 'start requested by `lb-dev start`');
      if (params.wait) await instance.whenReady();
      // A start the OS refused (a missing cwd, E2BIG) ends stopped at once: say why.
      const reason = instance.phase === 'stopped' ? instance.status().lastExit?.reason : undefined;
      return { instance: instance.name, state: instance.phase, ...(reason ? { reason: `could not start: ${reason}` } : {}) };
    },
    async restart({ instance, all, rolling, drainMs }) {
      const targets = all ? sup().instances() : [sup().find(instance!)];
      const restarted: Array<{ instance: string; ms: number }> = [];
      const skipped: Array<{ instance: string; reason: string }> = [];
      for (const target of targets) {
        const started = Date.now();
        note(target, rolling ? 'rolling restart: leaving the balancer' : 'restart requested');
        const outcome: Outcome = rolling ? await sup().restartRolling(target, drainMs) : await sup().restart(target);
        if (outcome.done) restarted.push({ instance: target.name, ms: Date.now() - started });
        else {
          skipped.push({ instance: target.name, reason: outcome.reason });
          note(target, `restart left off: ${outcome.reason}`);
        }
      }
      return { restarted, skipped, rolling };
    },
    async scale({ count, group, drainMs, wait }) {
      const result = await sup().scale(count, group ?? undefined, drainMs);
      // As `start` does: the new instances are ready (or gave up) when this answers, unless told not to wait.
      // A concurrent scale-down may already have removed some of them: those count as stopped.
      const added = sup()
        .instances()
        .filter((instance) => result.added.includes(instance.name));
      if (wait) {
        await Promise.all(added.map((instance) => instance.whenReady()));
        await sup().routes.flush();
      }
      const states = Object.fromEntries(added.map((instance) => [instance.name, instance.phase]));
      return { ...result, states, instances: sup().instances().length };
    },
  };
}

/** `2` names an instance of the first group only (Supervisor.find): others by their full name. */
function notRunning(instance: Instance, supervisor: Supervisor): LbDevError {
  let name = instance.name;
  try {
    if (supervisor.find(String(instance.index)) === instance) name = String(instance.index);
  } catch {
    // No instance of that number in the first group: the full name it is.
  }
  return new LbDevError(
    'INSTANCE_NOT_RUNNING',
    `${instance.name} is not running (state ${instance.phase}): no signal sent; \`lb-dev start ${name}\` starts it again`,
  );
}
