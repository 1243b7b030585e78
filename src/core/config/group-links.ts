/**
 * Checks of what ties groups together, once every group is read: `dependsOn` and
 * `restartOn.logFrom` name groups or instances that exist, start-up dependencies have no
 * cycle, and `{meteor-1.port}`-style placeholders name an instance this group waits for (its
 * ports exist only once it has started). Problems go to the file's line of the key.
 */
import { PEER_PLACEHOLDER } from '../text/template.js';
import type { Problems } from './problems.js';
import type { GroupConfig } from './types.js';

/** What these checks read of a group, and where it is in the file. */
export type LinkedGroup = Pick<GroupConfig, 'name' | 'instances' | 'reservePorts' | 'dependsOn' | 'restartOn' | 'env'> & {
  command: string | null;
  at: string[];
};

/** The group a member name means: `meteor` itself, or `meteor-2` when group meteor has at least 2 instances. */
export function groupOfMember(name: string, groups: ReadonlyArray<Pick<GroupConfig, 'name' | 'instances'>>): string | undefined {
  if (groups.some((g) => g.name === name)) return name;
  const match = /^(.*)-(\d+)$/.exec(name);
  if (!match) return undefined;
  const group = groups.find((g) => g.name === match[1]);
  return group && Number(match[2]) >= 1 && Number(match[2]) <= group.instances ? group.name : undefined;
}

export function checkGroupLinks(problems: Problems, groups: readonly LinkedGroup[]): void {
  const known = () => groups.flatMap((g) => [g.name, `${g.name}-1${g.instances > 1 ? `...${g.name}-${g.instances}` : ''}`]).join(', ');
  const edges = new Map<string, string[]>();
  for (const group of groups) {
    const targets: string[] = [];
    group.dependsOn.forEach((member, index) => {
      const target = groupOfMember(member, groups);
      if (target === undefined)
        problems.at([...group.at, 'dependsOn', String(index)], `expected a group or instance (${known()}), got ${JSON.stringify(member)}`);
      else if (target === group.name)
        problems.at(
          [...group.at, 'dependsOn', String(index)],
          `expected another group or its instances, got ${JSON.stringify(member)}: a group cannot wait for itself`,
        );
      else targets.push(target);
    });
    edges.set(group.name, targets);
    checkRestartOn(problems, group, groups, known);
    checkPeerPlaceholders(problems, group, groups);
  }
  const cycle = findCycle(edges);
  if (cycle) {
    const first = groups.find((g) => g.name === cycle[0])!;
    problems.at([...first.at, 'dependsOn'], `expected start-up dependencies without a cycle, got ${cycle.join(' -> ')}`);
  }
}

function checkRestartOn(problems: Problems, group: LinkedGroup, groups: readonly LinkedGroup[], known: () => string): void {
  const { logFrom, logPattern } = group.restartOn;
  const at = [...group.at, 'restartOn'];
  if ((logFrom === null) !== (logPattern === null)) {
    problems.at(
      [...at, logFrom === null ? 'logPattern' : 'logFrom'],
      `expected restartOn.logFrom and restartOn.logPattern together, got only ${logFrom === null ? 'logPattern' : 'logFrom'}`,
    );
  }
  if (logFrom === null) return;
  const target = groupOfMember(logFrom, groups);
  if (target === undefined) problems.at([...at, 'logFrom'], `expected a group or instance (${known()}), got ${JSON.stringify(logFrom)}`);
  else if (target === group.name)
    problems.at([...at, 'logFrom'], `expected another group (restarting a group on its own output would loop), got ${JSON.stringify(logFrom)}`);
}

/** `{meteor-1.extraPort1}` needs meteor-1 to exist, to have that port, and to have started first (dependsOn). */
function checkPeerPlaceholders(problems: Problems, group: LinkedGroup, groups: readonly LinkedGroup[]): void {
  const templates: Array<[string[], string | null]> = [
    [['command'], group.command],
    ...Object.entries(group.env).map(([key, text]): [string[], string] => [['env', key], text]),
  ];
  for (const [where, template] of templates) {
    for (const [placeholder, peer, key, n] of (template ?? '').matchAll(PEER_PLACEHOLDER)) {
      const owner = groups.find((g) => groupOfMember(peer!, [g]) === g.name && peer !== g.name);
      const at = [...group.at, ...where];
      if (!owner) problems.at(at, `expected ${placeholder} to name an instance like meteor-1, got ${JSON.stringify(peer)}, which no group has`);
      else if (owner.name === group.name)
        problems.at(at, `expected ${placeholder} to name an instance of another group, got one of ${group.name} itself (use {port} or {extraPortN})`);
      else if (!group.dependsOn.includes(peer!) && !group.dependsOn.includes(owner.name))
        problems.at(at, `expected ${peer} (or ${owner.name}) in dependsOn, so that its ports exist before ${group.name} starts, got ${placeholder} without it`);
      else if (key !== 'port' && (Number(n) < 1 || Number(n) > owner.reservePorts))
        problems.at(at, `expected ${placeholder} within ${owner.name}'s reservePorts (${owner.reservePorts}), got extra port ${n}`);
    }
  }
}

/** A cycle in group -> groups it waits for, as the list of names around it, or null. */
function findCycle(edges: ReadonlyMap<string, string[]>): string[] | null {
  const state = new Map<string, 'visiting' | 'done'>();
  const trail: string[] = [];
  const visit = (name: string): string[] | null => {
    if (state.get(name) === 'done') return null;
    if (state.get(name) === 'visiting') return [...trail.slice(trail.indexOf(name)), name];
    state.set(name, 'visiting');
    trail.push(name);
    for (const next of edges.get(name) ?? []) {
      const cycle = visit(next);
      if (cycle) return cycle;
    }
    trail.pop();
    state.set(name, 'done');
    return null;
  };
  for (const name of edges.keys()) {
    const cycle = visit(name);
    if (cycle) return cycle;
  }
  return null;
}
