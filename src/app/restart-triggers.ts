/**
 * `restartOn`: a line of another group's output matching a pattern, or a file changing,
 * rolls this group (one instance at a time, each drained and confirmed out of Traefik first,
 * through Supervisor.restartRolling). Triggers that arrive during a roll are folded into one
 * more roll afterwards; with `files`, instances already started on the file's current
 * version are skipped (a rebuild both logs a line and rewrites the bundle: one roll, not two).
 */
import path from 'node:path';
import type { GroupConfig } from '../core/config/types.js';
import { groupOfMember } from '../core/config/group-links.js';
import { stripAnsi } from '../core/text/ansi.js';
import { compileUserPattern } from '../core/text/user-pattern.js';
import '../adapters/linear-regexp-engine.js';
import { fileStamp, watchFileChanges } from '../adapters/file-watch.js';
import type { Instance } from './instance.js';

export interface RestartTriggerDeps {
  groups: readonly GroupConfig[];
  members: (group: string) => readonly Instance[];
  /** Restarts one instance: out of the balancer (confirmed), drained, stopped, started, ready, back in. */
  restartRolling: (instance: Instance, drainMs: number) => Promise<unknown>;
  note: (source: string, text: string) => void;
}

interface Watched {
  group: GroupConfig;
  pattern: RegExp | null;
  /** The member name logFrom means: a group name or one instance's name. */
  logFrom: string | null;
  logFromGroup: string | null;
  stampFile: string | null;
  rolling: boolean;
  again: boolean;
}

export class RestartTriggers {
  private readonly watched: Watched[];
  private readonly unwatch: Array<() => void> = [];
  private closed = false;
  /** The rolls under way, for idle() (tests wait on it). */
  private readonly rolls = new Set<Promise<void>>();

  constructor(private readonly deps: RestartTriggerDeps) {
    this.watched = deps.groups
      .filter((g) => g.restartOn.logPattern !== null || g.restartOn.files.length > 0)
      .map((group) => ({
        group,
        pattern: group.restartOn.logPattern === null ? null : compileUserPattern(group.restartOn.logPattern),
        logFrom: group.restartOn.logFrom,
        logFromGroup: group.restartOn.logFrom === null ? null : (groupOfMember(group.restartOn.logFrom, deps.groups) ?? null),
        stampFile: group.restartOn.files[0] === undefined ? null : path.resolve(group.cwd, group.restartOn.files[0]),
        rolling: false,
        again: false,
      }));
  }

  start(): void {
    for (const watched of this.watched) {
      for (const file of watched.group.restartOn.files) {
        const absolute = path.resolve(watched.group.cwd, file);
        this.unwatch.push(watchFileChanges(absolute, () => this.trigger(watched, `${file} changed`)));
      }
    }
  }

  /** One output line of an instance (ANSI codes and all). */
  line(instance: Instance, text: string): void {
    for (const watched of this.watched) {
      if (watched.pattern === null) continue;
      const from = watched.logFrom === watched.logFromGroup ? instance.group.name : instance.name;
      if (from !== watched.logFrom) continue;
      const plain = stripAnsi(text);
      if (watched.pattern.test(plain)) this.trigger(watched, `${instance.name} logged ${JSON.stringify(plain.trim())}`);
    }
  }

  /** The build an instance of this group starts on now (the first file's time), or null. */
  static stampOf(group: GroupConfig): string | null {
    const file = group.restartOn.files[0];
    return file === undefined ? null : fileStamp(path.resolve(group.cwd, file));
  }

  /** No more triggers; a roll under way ends after its current instance (stopping everything ends that too). */
  close(): void {
    this.closed = true;
    for (const unwatch of this.unwatch.splice(0)) unwatch();
  }

  /** Resolves when no roll is under way. */
  async idle(): Promise<void> {
    while (this.rolls.size > 0) await Promise.allSettled([...this.rolls]);
  }

  private trigger(watched: Watched, reason: string): void {
    if (this.closed) return;
    if (watched.rolling) {
      watched.again = true;
      return;
    }
    const roll = this.roll(watched, reason).finally(() => this.rolls.delete(roll));
    this.rolls.add(roll);
  }

  private async roll(watched: Watched, reason: string): Promise<void> {
    watched.rolling = true;
    try {
      let why = reason;
      do {
        watched.again = false;
        const current = watched.stampFile === null ? null : fileStamp(watched.stampFile);
        const due = this.deps.members(watched.group.name).filter((i) => i.wantsToRun && (current === null || i.build !== current));
        if (due.length === 0) continue;
        this.deps.note('lb-dev', `${watched.group.name}: ${why}: rolling restart of ${due.map((i) => i.name).join(', ')}`);
        for (const instance of due) {
          if (this.closed) return;
          await this.deps.restartRolling(instance, watched.group.restartOn.drainMs);
        }
        why = 'triggered again meanwhile';
      } while (watched.again && !this.closed);
    } catch (error) {
      this.deps.note('lb-dev', `${watched.group.name}: rolling restart failed: ${(error as Error).message}`);
    } finally {
      watched.rolling = false;
    }
  }
}
