/**
 * resolveConfig(): raw YAML value + flags -> LbDevConfig, reading every key through the key
 * table (keys.ts). What the table cannot say lives here: groups (or the single-group
 * shorthand), the demo-app fallback, paths relative to the file, the flags, and rules that
 * tie two keys together. Every problem is collected (with its line when known) and reported
 * together in one CONFIG_INVALID error, so that one edit fixes them all.
 */
import path from 'node:path';
import { formatDuration } from '../text/duration.js';
import { bool, hostName, mongoUrl, oneOf, port, text, wholeNumber, type Check } from './checks.js';
import { applyPreset } from './presets/apply.js';
import { ROCKETCHAT_MODES } from './presets/rocketchat.js';
import { displayPath } from './display-path.js';
import { fileDefaults, readFields, type Fields } from './fields.js';
import { adjacentRepetitionNotices } from './adjacent-repetition.js';
import { checkGroupLinks } from './group-links.js';
import { GROUP_FIELDS, MAX_INSTANCES, TOP_FIELDS, TRAEFIK_MODES } from './keys.js';
import { Problems, Section, describeValue } from './problems.js';
import type { ConfigOverrides, GroupConfig, LbDevConfig } from './types.js';

export { MAX_INSTANCES } from './keys.js';
export const DEFAULT_GROUP_NAME = 'app';
export const CONFIG_FILE_NAME = 'lb-dev.config.yaml';

/** One group's keys with their defaults, as written in the file. `command: null` = the built-in demo app. */
export const GROUP_DEFAULTS = fileDefaults(GROUP_FIELDS);
/** Every key with its default, as written in the file (see config/lb-dev.example.yaml). */
export const CONFIG_DEFAULTS = { ...fileDefaults(TOP_FIELDS), groups: { [DEFAULT_GROUP_NAME]: GROUP_DEFAULTS } };

const GROUP_NAME = /^[a-z][a-z0-9-]*$/;
const GROUP_KEYS = Object.keys(GROUP_FIELDS);
const TOP_KEYS = [...Object.keys(TOP_FIELDS), 'groups', ...GROUP_KEYS];
const KEY_HOMES = keyHomes();

export interface ResolveOptions {
  /** Path of the file `raw` came from (absolute, or relative to cwd); null = no file. */
  source: string | null;
  /** 1-based line of the key at this path in the file, for messages. */
  positions?: (path: string[]) => number | undefined;
  overrides: ConfigOverrides;
  cwd: string;
  /** Command line of the built-in demo app, used when no command is configured. */
  demoCommand: string;
}

/** Validates the parsed YAML (null/undefined = empty file) and applies the flags. Throws CONFIG_INVALID listing every problem. */
export function resolveConfig(raw: unknown, opts: ResolveOptions): LbDevConfig {
  const problems = new Problems(opts.positions, KEY_HOMES);
  const source = opts.source === null ? null : path.resolve(opts.cwd, opts.source);
  const baseDir = source === null ? opts.cwd : path.dirname(source);
  const flags = readOverrides(problems, opts.overrides);
  const preset = applyPreset(raw, flags);
  if (!preset.tookInstances) {
    for (const flag of ['mode', 'mongoUrl'] as const) {
      if (flags[flag] !== undefined)
        problems.flagMessage(
          flag === 'mode' ? '--mode' : '--mongo-url',
          'expected `preset: rocketchat` in the config (lb-dev init --preset rocketchat writes one), got no preset',
        );
    }
  }

  const top = Section.open(problems, [], preset.raw, TOP_KEYS, 'a mapping of settings like `balancer:` and `groups:`');
  const { stateDir, balancer, traefik, logs, metrics, monitoring, dashboard, instancePorts, preset: presetName, rocketchat } = readFields(top, TOP_FIELDS);
  if (flags.host !== undefined) balancer.host = flags.host;
  if (flags.port !== undefined) balancer.port = flags.port;
  if (flags.apiPort !== undefined) traefik.apiPort = flags.apiPort;
  if (flags.dashboardPort !== undefined) dashboard.port = flags.dashboardPort;
  if (flags.metricsPort !== undefined) metrics.port = flags.metricsPort;
  if (flags.traefik !== undefined) traefik.mode = flags.traefik;
  if (flags.monitoring) monitoring.prometheus = true;
  if (traefik.apiPort === balancer.port) {
    problems.at(['traefik', 'apiPort'], `expected a port other than the balancer's (balancer.port ${balancer.port}), got ${traefik.apiPort}`);
  }
  if (dashboard.port !== null && (dashboard.port === balancer.port || dashboard.port === traefik.apiPort)) {
    problems.at(
      ['dashboard', 'port'],
      `expected a port other than the balancer's (${balancer.port}) and Traefik's API (${traefik.apiPort}), got ${dashboard.port}`,
    );
  }

  const drafts = readGroups(problems, top, baseDir);
  const first = drafts[0];
  if (first && flags.instances !== undefined && !preset.tookInstances) first.instances = flags.instances;
  if (first && flags.command !== undefined) {
    first.command = flags.command;
    const unfilled = unfilledPlaceholder(flags.command, first.reservePorts);
    if (unfilled !== undefined) problems.flagMessage('--command', unfilled);
  }
  checkGroupLinks(problems, drafts);
  const notices = [...preset.notices, ...adjacentRepetitionNotices(drafts, opts.positions)];
  const usingDemoApp = drafts.every((group) => group.command === null);
  const groups = finishGroups(problems, drafts, usingDemoApp, opts.demoCommand);
  // Traefik's check asks what the readiness probe asks: a path that says "ready", not a page to render.
  if (balancer.healthCheck && balancer.healthCheck.path === null) balancer.healthCheck.path = groups[0]?.readiness.http?.path ?? '/';

  problems.throwIfAny(source === null ? null : displayPath(source, opts.cwd));
  const written = (section: string, key: string) => {
    const raw = top.raw[section];
    return typeof raw === 'object' && raw !== null && (raw as Record<string, unknown>)[key] !== undefined;
  };
  return {
    // --state-dir is relative to the cwd, the file's stateDir to the file; the default lives in the cwd.
    stateDir:
      flags.stateDir !== undefined
        ? path.resolve(opts.cwd, flags.stateDir)
        : top.has('stateDir')
          ? path.resolve(baseDir, stateDir)
          : path.resolve(opts.cwd, stateDir),
    source,
    balancer,
    traefik,
    logs,
    metrics,
    monitoring,
    dashboard,
    instancePorts,
    preset: presetName,
    rocketchat,
    groups,
    usingDemoApp,
    notices,
    explicit: {
      traefikApiPort: written('traefik', 'apiPort') || flags.apiPort !== undefined,
      traefikBinary: written('traefik', 'binary'),
      dashboardPort: written('dashboard', 'port') || flags.dashboardPort !== undefined,
    },
  };
}

/** The flags are validated like file values, and named as the user typed them. */
function readOverrides(problems: Problems, overrides: ConfigOverrides): ConfigOverrides {
  const read = <T>(flag: string, value: unknown, check: Check<T>): T | undefined => {
    if (value === undefined) return undefined;
    const result = check(value);
    if (result.ok) return result.value;
    problems.flag(flag, result, value);
    return undefined;
  };
  return {
    instances: read('--instances', overrides.instances, wholeNumber(1, MAX_INSTANCES)),
    command: read('--command', overrides.command, text('a command line like `yarn dev`')),
    port: read('--port', overrides.port, port),
    apiPort: read('--api-port', overrides.apiPort, port),
    dashboardPort: read('--dashboard-port', overrides.dashboardPort, port),
    metricsPort: read('--metrics-port', overrides.metricsPort, port),
    traefik: read('--traefik', overrides.traefik, oneOf(TRAEFIK_MODES)),
    stateDir: read('--state-dir', overrides.stateDir, text('a directory path')),
    host: read('--host', overrides.host, hostName),
    monitoring: read('--monitoring', overrides.monitoring, bool),
    mode: read('--mode', overrides.mode, oneOf(ROCKETCHAT_MODES)),
    mongoUrl: read('--mongo-url', overrides.mongoUrl, mongoUrl),
    // From the environment, not typed for lb-dev: checked (and ignored with a notice) only by the preset.
    envMongoUrl: overrides.envMongoUrl,
  };
}

/** A group before the demo-app decision: its command may still be missing. */
type GroupDraft = Omit<GroupConfig, 'command'> & { command: string | null; at: string[] };

function readGroups(problems: Problems, top: Section, baseDir: string): GroupDraft[] {
  if (!top.has('groups')) return [readGroup(DEFAULT_GROUP_NAME, top, baseDir)];

  const shorthand = GROUP_KEYS.filter((key) => top.has(key));
  if (shorthand.length > 0) {
    problems.at(
      [shorthand[0]!],
      `expected group settings either at the top level (one group) or under \`groups:\`, got both: top-level ${shorthand.map((k) => `\`${k}\``).join(', ')} next to \`groups:\``,
    );
  }
  const raw = top.raw['groups'];
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw) || Object.keys(raw).length === 0) {
    problems.at(['groups'], `expected a mapping of group name -> group settings, like \`groups: { app: { command: yarn dev } }\`, got ${describeValue(raw)}`);
    return [readGroup(DEFAULT_GROUP_NAME, Section.empty(problems, ['groups', DEFAULT_GROUP_NAME]), baseDir)];
  }
  return Object.entries(raw as Record<string, unknown>).map(([name, value]) => {
    const at = ['groups', name];
    if (!GROUP_NAME.test(name)) {
      problems.at(
        at,
        `expected a group name of lowercase letters, digits and dashes that starts with a letter (like app or web-2), got ${JSON.stringify(name)}`,
      );
    }
    return readGroup(name, Section.open(problems, at, value, GROUP_KEYS, `a mapping of settings for group ${name}`), baseDir);
  });
}

function readGroup(name: string, s: Section, baseDir: string): GroupDraft {
  const group = readFields(s, GROUP_FIELDS);
  const { readiness, restart } = group;
  if (readiness.http === null && readiness.logPattern === null) {
    s.problems.at(
      [...s.path, 'readiness'],
      'expected a way to tell that an instance is ready: readiness.http, readiness.logPattern or both, got neither (http: false and no logPattern)',
    );
  }
  if (restart.maxDelayMs < restart.initialDelayMs) {
    s.problems.at(
      [...s.path, 'restart', 'maxDelay'],
      `expected at least restart.initialDelay (${formatDuration(restart.initialDelayMs)}), got ${formatDuration(restart.maxDelayMs)}`,
    );
  }
  const templates: Array<[string[], string | null]> = [
    [['command'], group.command],
    ...Object.entries(group.env).map(([key, text]): [string[], string] => [['env', key], text]),
  ];
  for (const [at, template] of templates) {
    const unfilled = template === null ? undefined : unfilledPlaceholder(template, group.reservePorts);
    if (unfilled !== undefined) s.problems.at([...s.path, ...at], unfilled);
  }
  return { ...group, name, at: s.path, cwd: path.resolve(baseDir, group.cwd) };
}

/** `{extraPortN}` is filled only for N from 1 to reservePorts (core/text/template.ts); otherwise it would reach the app as text. */
function unfilledPlaceholder(template: string, reservePorts: number): string | undefined {
  for (const [placeholder, n] of template.matchAll(/\{extraPort(\d+)\}/g)) {
    const index = Number(n);
    if (index >= 1 && index <= reservePorts) continue;
    const allowed =
      reservePorts === 0
        ? 'no {extraPortN} (reservePorts is 0)'
        : reservePorts === 1
          ? 'only {extraPort1} (reservePorts is 1)'
          : `{extraPort1} to {extraPort${reservePorts}} (reservePorts is ${reservePorts})`;
    return `expected ${allowed}, got ${placeholder}; ${index === 0 ? 'extra ports count from {extraPort1}' : `raise reservePorts to ${index} to reserve that port`}`;
  }
  return undefined;
}

/** No command anywhere = the demo app (single group only); otherwise every group needs one. */
function finishGroups(problems: Problems, drafts: GroupDraft[], usingDemoApp: boolean, demoCommand: string): GroupConfig[] {
  if (usingDemoApp && drafts.length > 1) {
    for (const draft of drafts) {
      problems.at(draft.at, `expected a \`command:\` for group ${draft.name} (only a single group can fall back to the built-in demo app), got none`);
    }
  }
  return drafts.map(({ at, ...draft }) => {
    if (draft.command === null && !usingDemoApp) {
      problems.at(at, `expected a \`command:\` for group ${draft.name}, like \`command: yarn dev\`, got none`);
    }
    return { ...draft, command: draft.command ?? demoCommand };
  });
}

/**
 * Where a key belongs, for "did you mean `balancer.port`?" when it is written in another
 * section: the keys of each always-present section (balancer, traefik, logs, readiness, restart).
 */
function keyHomes(): Map<string, string> {
  const homes = new Map<string, string>();
  const add = (fields: Fields) => {
    for (const [name, field] of Object.entries(fields)) {
      if (field.kind !== 'group' || field.optional) continue;
      for (const key of Object.keys(field.fields)) if (!homes.has(key)) homes.set(key, `${name}.${key}`);
    }
  };
  add(TOP_FIELDS);
  add(GROUP_FIELDS);
  return homes;
}
