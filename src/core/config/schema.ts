/**
 * The config file's user-facing shape, its defaults, and resolveConfig(): raw YAML value +
 * flags -> LbDevConfig. Every problem is collected (with its line when known) and reported
 * together in one CONFIG_INVALID error, so that one edit fixes them all.
 */
import path from 'node:path';
import { LbDevError } from '../errors.js';
import { formatDuration } from '../text/duration.js';
import type {
  BalancerConfig,
  ConfigOverrides,
  GroupConfig,
  LbDevConfig,
  LogsConfig,
  ReadinessConfig,
  RestartConfig,
  TraefikConfig,
  TraefikMode,
} from './types.js';
import {
  bool,
  cookieName,
  decimal,
  duration,
  envName,
  envValue,
  expectStatus,
  hostName,
  httpUrl,
  nullable,
  oneOf,
  port,
  regex,
  size,
  text,
  urlPath,
  wholeNumber,
  type Check,
} from './checks.js';
import { Problems, Section, describeValue } from './problems.js';

export const MAX_INSTANCES = 64;
export const DEFAULT_GROUP_NAME = 'app';
export const CONFIG_FILE_NAME = 'lb-dev.config.yaml';

/** One group's keys with their defaults, as written in the file. `command: null` = the built-in demo app. */
export const GROUP_DEFAULTS = {
  command: null,
  instances: 3,
  cwd: '.',
  env: {},
  reservePorts: 0,
  readiness: {
    http: { path: '/', interval: '500ms', timeout: '2s', expectStatus: '200-399' },
    logPattern: null,
    startTimeout: '10m',
    failureThreshold: 3,
    successThreshold: 1,
  },
  restart: { enabled: true, initialDelay: '500ms', maxDelay: '30s', multiplier: 2, jitter: 0.2, resetAfter: '60s' },
  stopGracePeriod: '5s',
} as const;

/** Every key with its default, as written in the file (see config/lb-dev.example.yaml). */
export const CONFIG_DEFAULTS = {
  stateDir: '.lb-dev',
  balancer: {
    host: '127.0.0.1',
    port: 3000,
    stickyCookie: 'lb-dev-server',
    websocketPaths: ['/websocket', '/sockjs'],
    healthCheck: { path: '/', interval: '1s', timeout: '1s' },
    // 2, not 1: one 5xx from a live app no longer takes it out of the balancer (and moves its
    // sticky clients); a crashed instance still fails every request, and each is retried.
    // Keep it below retry.attempts, or a dead instance's sticky clients run out of retries.
    passiveHealthCheck: { failureWindow: '5s', maxFailedAttempts: 2 },
    retry: { attempts: 3, initialInterval: '50ms' },
  },
  traefik: {
    mode: 'docker',
    image: 'traefik:v3.6',
    binary: 'traefik',
    apiPort: 8080,
    apiUrl: null,
    network: 'auto',
    throttle: '100ms',
    confirmTimeout: '10s',
    accessLog: true,
  },
  logs: { maxFileSize: '10MB', maxFiles: 3, ringBufferLines: 1000 },
  groups: { [DEFAULT_GROUP_NAME]: GROUP_DEFAULTS },
} as const;

const D = CONFIG_DEFAULTS;
const G = GROUP_DEFAULTS;
const TRAEFIK_MODES = ['docker', 'binary', 'external'] as const;
const NETWORK_MODES = ['auto', 'host', 'bridge'] as const;
const GROUP_NAME = /^[a-z][a-z0-9-]*$/;

const GROUP_KEYS = Object.keys(G);
const TOP_KEYS = ['stateDir', 'balancer', 'traefik', 'logs', 'groups', ...GROUP_KEYS];
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

  const top = Section.open(problems, [], raw, TOP_KEYS, 'a mapping of settings like `balancer:` and `groups:`');
  const fileStateDir = top.read('stateDir', text(), null);
  const stateDir = flags.stateDir !== undefined
    ? path.resolve(opts.cwd, flags.stateDir)
    : fileStateDir !== null ? path.resolve(baseDir, fileStateDir) : path.resolve(opts.cwd, D.stateDir);

  const balancer = readBalancer(top.child('balancer', Object.keys(D.balancer), 'a mapping of balancer settings'), flags);
  const traefik = readTraefik(top.child('traefik', Object.keys(D.traefik), 'a mapping of Traefik settings'), flags);
  const logs = readLogs(top.child('logs', Object.keys(D.logs), 'a mapping of log settings'));
  if (traefik.apiPort === balancer.port) {
    problems.at(['traefik', 'apiPort'], `expected a port other than the balancer's (balancer.port ${balancer.port}), got ${traefik.apiPort}`);
  }

  const drafts = readGroups(problems, top, baseDir);
  const first = drafts[0];
  if (first && flags.instances !== undefined) first.instances = flags.instances;
  if (first && flags.command !== undefined) first.command = flags.command;
  const usingDemoApp = drafts.every((group) => group.command === null);
  const groups = finishGroups(problems, drafts, usingDemoApp, opts.demoCommand);

  problems.throwIfAny(source === null ? null : displayPath(source, opts.cwd));
  return { stateDir, source, balancer, traefik, logs, groups, usingDemoApp };
}

interface Flags {
  instances?: number;
  command?: string;
  port?: number;
  traefik?: TraefikMode;
  stateDir?: string;
  host?: string;
}

/** The flags are validated like file values, and named as the user typed them. */
function readOverrides(problems: Problems, overrides: ConfigOverrides): Flags {
  const flags: Flags = {};
  const read = <T>(flag: string, value: unknown, check: Check<T>): T | undefined => {
    if (value === undefined) return undefined;
    const result = check(value);
    if (result.ok) return result.value;
    problems.flag(flag, result, value);
    return undefined;
  };
  flags.instances = read('--instances', overrides.instances, wholeNumber(1, MAX_INSTANCES));
  flags.command = read('--command', overrides.command, text('a command line like `yarn dev`'));
  flags.port = read('--port', overrides.port, port);
  flags.traefik = read('--traefik', overrides.traefik, oneOf(TRAEFIK_MODES));
  flags.stateDir = read('--state-dir', overrides.stateDir, text('a directory path'));
  flags.host = read('--host', overrides.host, hostName);
  return flags;
}

function readBalancer(s: Section, flags: Flags): BalancerConfig {
  const b = D.balancer;
  const health = s.optionalChild('healthCheck', Object.keys(b.healthCheck), 'a mapping of health check settings');
  const passive = s.optionalChild('passiveHealthCheck', Object.keys(b.passiveHealthCheck), 'a mapping of passive health check settings');
  const retry = s.optionalChild('retry', Object.keys(b.retry), 'a mapping of retry settings');
  const host = s.read('host', hostName, b.host);
  const filePort = s.read('port', port, b.port);
  return {
    host: flags.host ?? host,
    port: flags.port ?? filePort,
    stickyCookie: s.read('stickyCookie', cookieName(b.stickyCookie), b.stickyCookie),
    websocketPaths: s.readList('websocketPaths', urlPath, [...b.websocketPaths]),
    healthCheck: health && {
      path: health.read('path', urlPath, b.healthCheck.path),
      intervalMs: health.read('interval', duration(1), ms(b.healthCheck.interval)),
      timeoutMs: health.read('timeout', duration(1), ms(b.healthCheck.timeout)),
    },
    passiveHealthCheck: passive && {
      failureWindowMs: passive.read('failureWindow', duration(1), ms(b.passiveHealthCheck.failureWindow)),
      maxFailedAttempts: passive.read('maxFailedAttempts', wholeNumber(1, 1000), b.passiveHealthCheck.maxFailedAttempts),
    },
    retry: retry && {
      attempts: retry.read('attempts', wholeNumber(1, 100), b.retry.attempts),
      initialIntervalMs: retry.read('initialInterval', duration(0), ms(b.retry.initialInterval)),
    },
  };
}

function readTraefik(s: Section, flags: Flags): TraefikConfig {
  const t = D.traefik;
  const mode = s.read('mode', oneOf(TRAEFIK_MODES), t.mode);
  return {
    mode: flags.traefik ?? mode,
    image: s.read('image', text('a Docker image like traefik:v3.6'), t.image),
    binary: s.read('binary', text('a program name or path like traefik'), t.binary),
    apiPort: s.read('apiPort', port, t.apiPort),
    apiUrl: s.read('apiUrl', nullable(httpUrl), t.apiUrl),
    network: s.read('network', oneOf(NETWORK_MODES), t.network),
    throttleMs: s.read('throttle', duration(0), ms(t.throttle)),
    confirmTimeoutMs: s.read('confirmTimeout', duration(1), ms(t.confirmTimeout)),
    accessLog: s.read('accessLog', bool, t.accessLog),
  };
}

function readLogs(s: Section): LogsConfig {
  const l = D.logs;
  return {
    maxFileBytes: s.read('maxFileSize', size(1024), bytes(l.maxFileSize)),
    maxFiles: s.read('maxFiles', wholeNumber(0, 1000), l.maxFiles),
    ringBufferLines: s.read('ringBufferLines', wholeNumber(1, 1_000_000), l.ringBufferLines),
  };
}

/** A group before the demo-app decision: its command may still be missing. */
type GroupDraft = Omit<GroupConfig, 'command'> & { command: string | null; at: string[] };

function readGroups(problems: Problems, top: Section, baseDir: string): GroupDraft[] {
  if (!top.has('groups')) return [readGroup(DEFAULT_GROUP_NAME, top, baseDir)];

  const shorthand = GROUP_KEYS.filter((key) => top.has(key));
  if (shorthand.length > 0) {
    problems.at([shorthand[0]!], `expected group settings either at the top level (one group) or under \`groups:\`, got both: top-level ${shorthand.map((k) => `\`${k}\``).join(', ')} next to \`groups:\``);
  }
  const raw = top.raw['groups'];
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw) || Object.keys(raw).length === 0) {
    problems.at(['groups'], `expected a mapping of group name -> group settings, like \`groups: { app: { command: yarn dev } }\`, got ${describeValue(raw)}`);
    return [readGroup(DEFAULT_GROUP_NAME, Section.empty(problems, ['groups', DEFAULT_GROUP_NAME]), baseDir)];
  }
  return Object.entries(raw as Record<string, unknown>).map(([name, value]) => {
    const at = ['groups', name];
    if (!GROUP_NAME.test(name)) {
      problems.at(at, `expected a group name of lowercase letters, digits and dashes that starts with a letter (like app or web-2), got ${JSON.stringify(name)}`);
    }
    return readGroup(name, Section.open(problems, at, value, GROUP_KEYS, `a mapping of settings for group ${name}`), baseDir);
  });
}

function readGroup(name: string, s: Section, baseDir: string): GroupDraft {
  const cwd = s.read('cwd', text('a directory path'), G.cwd);
  return {
    name,
    at: s.path,
    command: s.read('command', nullable(text('a command line like `yarn dev`')), G.command),
    instances: s.read('instances', wholeNumber(1, MAX_INSTANCES), G.instances),
    cwd: path.resolve(baseDir, cwd),
    env: s.readMap('env', envName, envValue, 'a mapping of environment variable names to values'),
    reservePorts: s.read('reservePorts', wholeNumber(0, 16), G.reservePorts),
    readiness: readReadiness(s.child('readiness', Object.keys(G.readiness), 'a mapping of readiness settings')),
    restart: readRestart(s.child('restart', Object.keys(G.restart), 'a mapping of restart settings')),
    stopGraceMs: s.read('stopGracePeriod', duration(0), ms(G.stopGracePeriod)),
  };
}

function readReadiness(s: Section): ReadinessConfig {
  const r = G.readiness;
  const http = s.optionalChild('http', Object.keys(r.http), 'a mapping of HTTP probe settings');
  const readiness: ReadinessConfig = {
    http: http && {
      path: http.read('path', urlPath, r.http.path),
      intervalMs: http.read('interval', duration(1), ms(r.http.interval)),
      timeoutMs: http.read('timeout', duration(1), ms(r.http.timeout)),
      expectStatus: http.read('expectStatus', expectStatus, { min: 200, max: 399 }),
    },
    logPattern: s.read('logPattern', nullable(regex), r.logPattern),
    startTimeoutMs: s.read('startTimeout', duration(1), ms(r.startTimeout)),
    failureThreshold: s.read('failureThreshold', wholeNumber(1, 1000), r.failureThreshold),
    successThreshold: s.read('successThreshold', wholeNumber(1, 1000), r.successThreshold),
  };
  if (readiness.http === null && readiness.logPattern === null) {
    s.problems.at(s.path, 'expected a way to tell that an instance is ready: readiness.http, readiness.logPattern or both, got neither (http: false and no logPattern)');
  }
  return readiness;
}

function readRestart(s: Section): RestartConfig {
  const r = G.restart;
  const restart: RestartConfig = {
    enabled: s.read('enabled', bool, r.enabled),
    initialDelayMs: s.read('initialDelay', duration(0), ms(r.initialDelay)),
    maxDelayMs: s.read('maxDelay', duration(0), ms(r.maxDelay)),
    multiplier: s.read('multiplier', decimal(1, 100), r.multiplier),
    jitter: s.read('jitter', decimal(0, 1), r.jitter),
    resetAfterMs: s.read('resetAfter', duration(0), ms(r.resetAfter)),
  };
  if (restart.maxDelayMs < restart.initialDelayMs) {
    s.problems.at([...s.path, 'maxDelay'], `expected at least restart.initialDelay (${formatDuration(restart.initialDelayMs)}), got ${formatDuration(restart.maxDelayMs)}`);
  }
  return restart;
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

/** Where a key belongs, for "did you mean `balancer.port`?" when it is written in another section. */
function keyHomes(): Map<string, string> {
  const homes = new Map<string, string>();
  const add = (prefix: string, section: object) => {
    for (const key of Object.keys(section)) if (!homes.has(key)) homes.set(key, `${prefix}.${key}`);
  };
  add('balancer', D.balancer);
  add('traefik', D.traefik);
  add('logs', D.logs);
  add('readiness', G.readiness);
  add('restart', G.restart);
  return homes;
}

function displayPath(file: string, cwd: string): string {
  const relative = path.relative(cwd, file);
  return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : file;
}

/** Defaults are written as strings; they are valid by construction. */
function ms(value: string): number {
  const check = duration(0)(value);
  if (!check.ok) throw new Error(`invalid default duration ${value}`);
  return check.value;
}

function bytes(value: string): number {
  const check = size(0)(value);
  if (!check.ok) throw new Error(`invalid default size ${value}`);
  return check.value;
}
