/**
 * THE table of config keys: each key once, with its default (as written in the file), its
 * check, its resolved name and what it means. types.ts derives the resolved types from it,
 * schema.ts reads the file with it, describe.ts prints it back, and docs.ts writes the key
 * lists of docs/configuration.md and config/lb-dev.example.yaml from it
 * (`node scripts/gen-config-docs.mjs`; a unit test fails when they are out of date).
 */
import {
  bool,
  cookieName,
  decimal,
  listenPort,
  portOrOff,
  envName,
  envValue,
  expectStatus,
  portRange,
  hostName,
  httpUrl,
  memberName,
  mongoUrl,
  nullable,
  oneOf,
  port,
  regex,
  text,
  urlPath,
  wholeNumber,
} from './checks.js';
import { duration, group, list, mapping, size, value } from './fields.js';
import { ROCKETCHAT_MODES } from './presets/rocketchat.js';

export const TRAEFIK_MODES = ['auto', 'docker', 'binary', 'external'] as const;
/** How the Traefik container reaches the instances: host networking (Linux) or a bridge with published ports (Docker Desktop). */
export const NETWORK_MODES = ['auto', 'host', 'bridge'] as const;
export const MAX_INSTANCES = 64;
export const START_ORDERS = ['parallel', 'sequential'] as const;
export const PRESETS = ['rocketchat'] as const;

export const BALANCER_FIELDS = {
  host: value(hostName, { default: '127.0.0.1', doc: 'address the load balancer listens on (0.0.0.0 to reach it from other machines)' }),
  port: value(port, { default: 3000, doc: 'the port of the one URL you open: http://127.0.0.1:3000' }),
  stickyCookie: value(cookieName('lb-dev-server'), {
    default: 'lb-dev-server',
    doc: 'cookie that pins a browser to one instance; false = plain round robin',
    show: (name) => name ?? false,
  }),
  websocketPaths: list(urlPath, {
    default: ['/websocket', '/sockjs'],
    doc: 'paths that get a Traefik router of their own (lb-dev-websocket: same service and middlewares as /), to hang WebSocket-only settings on in an external Traefik; WebSockets work on every path without it (Meteor/DDP uses both)',
  }),
  healthCheck: group(
    {
      path: value(nullable(urlPath), {
        default: null,
        doc: "path Traefik requests on each instance; null = the first group's readiness.http.path (/ without one)",
      }),
      interval: duration(1, { default: '1s', as: 'intervalMs', doc: 'time between checks (also: how soon an instance the passive check took out comes back)' }),
      timeout: duration(1, { default: '1s', as: 'timeoutMs', doc: 'a check slower than this fails' }),
    },
    { optional: true, expected: 'a mapping of health check settings', doc: "Traefik's own active check of each instance; false = none" },
  ),
  // maxFailedAttempts 2, not 1: one 5xx from a live app no longer takes it out of the balancer (and
  // moves its sticky clients); a crashed instance still fails every request, and each is retried.
  passiveHealthCheck: group(
    {
      failureWindow: duration(1, { default: '5s', as: 'failureWindowMs', doc: 'window in which failures are counted' }),
      maxFailedAttempts: value(wholeNumber(1, 1000), {
        default: 2,
        doc: 'failures in a row within the window that take the instance out; keep below retry.attempts',
      }),
    },
    {
      optional: true,
      expected: 'a mapping of passive health check settings',
      doc: 'skip an instance whose requests fail (no connection, or 5xx); false = off',
    },
  ),
  retry: group(
    {
      attempts: value(wholeNumber(1, 100), { default: 3, doc: 'tries per request, the first included (1 to 100)' }),
      initialInterval: duration(0, {
        default: '50ms',
        as: 'initialIntervalMs',
        doc: 'wait before the first retry (randomised +-50%; each next wait ~1.4x longer with 3 attempts)',
      }),
    },
    { optional: true, expected: 'a mapping of retry settings', doc: 're-send requests that could not connect to an instance; false = no retries' },
  ),
};

export const TRAEFIK_FIELDS = {
  mode: value(oneOf(TRAEFIK_MODES), {
    default: 'auto',
    doc: 'auto (Docker when it answers and has or can pull the image, else a local binary: configured, on PATH, cached, else downloaded), docker (run the Traefik image), binary (run a traefik executable) or external (your own Traefik)',
  }),
  image: value(text('a Docker image like traefik:v3.6'), { default: 'traefik:v3.6', doc: 'Docker image for mode docker' }),
  binary: value(text('a program name or path like traefik'), {
    default: 'traefik',
    doc: "executable for modes binary and auto: a name on PATH or a path; when not set, PATH, then lb-dev's cache (~/.cache/lb-dev)",
    writtenMeansFixed: true,
  }),
  apiPort: value(port, {
    default: 8080,
    doc: "Traefik's API, dashboard (/dashboard/), /ping and /metrics port; must differ from balancer.port; when not set and 8080 is taken, a free port",
    writtenMeansFixed: true,
  }),
  apiUrl: value(nullable(httpUrl), { default: null, doc: "mode external: your Traefik's API URL, to confirm route changes; null = do not confirm" }),
  network: value(oneOf(NETWORK_MODES), {
    default: 'auto',
    doc: 'mode docker: host networking (Linux) or bridge with published ports (Docker Desktop); auto picks',
  }),
  throttle: duration(0, { default: '100ms', as: 'throttleMs', doc: "Traefik's providersThrottleDuration: how long it batches config changes" }),
  confirmTimeout: duration(1, { default: '10s', as: 'confirmTimeoutMs', doc: "how long to wait for Traefik's API to show a route change" }),
  accessLog: value(bool, { default: true, doc: 'JSON access log (gives per-instance request counts in `lb-dev status`)' }),
  metrics: value(bool, {
    default: false,
    doc: "Traefik's Prometheus metrics at <api>/metrics (on with --monitoring too); off by default: they cost ~10 % of its throughput",
  }),
  download: value(bool, {
    default: true,
    doc: "modes auto and binary: download Traefik's official release (SHA-256 checked, cached) when no binary is found; false = never",
  }),
  downloadUrl: value(nullable(httpUrl), {
    default: null,
    doc: 'where release files are, as <url>/<version>/<file> (a mirror); null = LB_DEV_TRAEFIK_DOWNLOAD_URL, else GitHub releases',
  }),
};

export const LOGS_FIELDS = {
  maxFileSize: size(1024, { default: '10MB', as: 'maxFileBytes', doc: "rotate an instance's log file at this size (at least 1KiB)" }),
  maxFiles: value(wholeNumber(0, 1000), { default: 3, doc: 'rotated files kept per instance (0 to 1000)' }),
  ringBufferLines: value(wholeNumber(1, 1_000_000), { default: 1000, doc: 'recent lines kept in memory per instance for `lb-dev logs`' }),
};

export const PROMETHEUS_MODES = ['auto', 'docker', 'binary'] as const;

export const METRICS_FIELDS = {
  port: value(listenPort(true), { default: 'auto', doc: 'Prometheus metrics at http://127.0.0.1:<port>/metrics: a port, auto (a free one) or false (off)' }),
};

export const MONITORING_FIELDS = {
  prometheus: value(bool, { default: false, doc: 'also run Prometheus, scraping lb-dev and Traefik (--monitoring)' }),
  mode: value(oneOf(PROMETHEUS_MODES), {
    default: 'auto',
    doc: 'docker (the image), binary (a prometheus executable), or auto: docker if the engine has the image, else the binary',
  }),
  image: value(text('a Docker image like lb-dev/prometheus:local'), {
    default: 'lb-dev/prometheus:local',
    doc: 'Prometheus image for mode docker (never pulled; scripts/provide-prometheus.sh creates it)',
  }),
  binary: value(text('a program name or path like prometheus'), { default: 'prometheus', doc: 'executable for mode binary: a name on PATH or a path' }),
  port: value(listenPort(false), { default: 'auto', doc: "Prometheus's web UI and API on 127.0.0.1: a port or auto (a free one)" }),
  scrapeInterval: duration(1000, { default: '5s', as: 'scrapeIntervalMs', doc: 'how often Prometheus scrapes lb-dev and Traefik' }),
};

export const DASHBOARD_FIELDS = {
  port: value(portOrOff, {
    default: 8079,
    doc: 'port of the dashboard on 127.0.0.1 (must differ from balancer.port and traefik.apiPort); false = no dashboard; when not set and 8079 is taken, a free port',
    show: (p) => p ?? false,
    writtenMeansFixed: true,
  }),
};

/** Every setting outside `groups:`. */
export const TOP_FIELDS = {
  stateDir: value(text(), {
    default: '.lb-dev',
    doc: 'where lb-dev keeps its socket, logs and Traefik config (relative to this file; --state-dir is relative to the cwd)',
  }),
  balancer: group(BALANCER_FIELDS, { expected: 'a mapping of balancer settings', doc: "the load balancer (Traefik's web entrypoint and routes)" }),
  traefik: group(TRAEFIK_FIELDS, { expected: 'a mapping of Traefik settings', doc: 'how Traefik itself is run' }),
  logs: group(LOGS_FIELDS, { expected: 'a mapping of log settings', doc: 'instance log files and in-memory history' }),
  metrics: group(METRICS_FIELDS, { expected: 'a mapping of metrics settings', doc: "lb-dev's Prometheus metrics endpoint" }),
  monitoring: group(MONITORING_FIELDS, { expected: 'a mapping of monitoring settings', doc: 'a Prometheus run by `up` (--monitoring)' }),
  dashboard: group(DASHBOARD_FIELDS, { expected: 'a mapping of dashboard settings', doc: 'the live dashboard in the browser (docs/dashboard.md)' }),
  instancePorts: value(nullable(portRange), {
    default: null,
    doc: "where instances' ports are picked, e.g. 20000-29999; null = a free port from 10000 up to the kernel's ephemeral range (lb-dev's own ports: balancer.port, traefik.apiPort, dashboard.port, metrics.port)",
    show: (range) => (range === null ? null : `${range.first}-${range.last}`),
  }),
  preset: value(nullable(oneOf(PRESETS)), {
    default: null,
    doc: 'rocketchat = groups, readiness, balancer and database set up for a Rocket.Chat checkout (docs/rocketchat.md); every key written here still wins',
  }),
  rocketchat: group(
    {
      mode: value(oneOf(ROCKETCHAT_MODES), {
        default: 'replicas',
        doc: 'replicas: one Meteor dev process + instances-1 copies of its bundle; independent: instances Meteor dev processes (--mode)',
      }),
      instances: value(wholeNumber(1, MAX_INSTANCES), { default: 3, doc: 'all instances together, meteor-1 included (-n)' }),
      mongoUrl: value(nullable(mongoUrl), {
        default: null,
        doc: "your MongoDB replica set (--mongo-url, or MONGO_URL in the environment); null = meteor-1's built-in one on its port+1",
      }),
      appDir: value(text('a directory path'), { default: 'apps/meteor', doc: 'the Meteor app, relative to this file' }),
    },
    { expected: 'a mapping of Rocket.Chat preset settings', doc: 'with preset: rocketchat' },
  ),
};

export const READINESS_FIELDS = {
  http: group(
    {
      path: value(urlPath, { default: '/', doc: 'path requested, e.g. /api/info' }),
      interval: duration(1, { default: '500ms', as: 'intervalMs', doc: 'time between probes until an instance is ready, and while a probe fails' }),
      healthInterval: duration(1, {
        default: '5s',
        as: 'healthIntervalMs',
        doc: "time between probes while a ready instance answers (Traefik's own health check watches it every balancer.healthCheck.interval meanwhile)",
      }),
      timeout: duration(1, { default: '2s', as: 'timeoutMs', doc: 'a probe slower than this fails' }),
      expectStatus: value(expectStatus, {
        default: '200-399',
        doc: 'accepted status: 200 or a range like 200-399',
        show: ({ min, max }) => (min === max ? min : `${min}-${max}`),
      }),
    },
    { optional: true, expected: 'a mapping of HTTP probe settings', doc: 'probe each instance over HTTP; false = no probe (then set logPattern)' },
  ),
  logPattern: value(nullable(regex), {
    default: null,
    doc: 'regular expression (JavaScript syntax) matched on each output line, ANSI codes stripped, e.g. "listening on port \\\\d+"; null = none',
  }),
  startTimeout: duration(1, { default: '10m', as: 'startTimeoutMs', doc: 'an instance not ready by then is restarted (dev builds can take minutes)' }),
  failureThreshold: value(wholeNumber(1, 1000), { default: 3, doc: 'failed probes in a row that make a ready instance unhealthy (out of rotation)' }),
  successThreshold: value(wholeNumber(1, 1000), { default: 1, doc: 'good probes in a row that bring it back' }),
};

export const RESTART_FIELDS = {
  enabled: value(bool, { default: true, doc: 'false = leave crashed instances down' }),
  initialDelay: duration(0, { default: '500ms', as: 'initialDelayMs', doc: 'wait before the first restart' }),
  maxDelay: duration(0, { default: '30s', as: 'maxDelayMs', doc: 'longest wait between restarts (at least initialDelay)' }),
  multiplier: value(decimal(1, 100), { default: 2, doc: 'each further restart waits this many times longer (1 to 100)' }),
  jitter: value(decimal(0, 1), { default: 0.2, doc: 'randomise each wait by +- this fraction (0 to 1)' }),
  resetAfter: duration(0, { default: '60s', as: 'resetAfterMs', doc: 'up this long = the next crash starts again from initialDelay' }),
};

/** One group's keys (under `groups.<name>:`, or at the top level for a single group). */
export const GROUP_FIELDS = {
  command: value(nullable(text('a command line like `yarn dev`')), {
    default: null,
    doc: "shell command, templated (see env); null = lb-dev's built-in demo app (a single group only)",
  }),
  instances: value(wholeNumber(1, MAX_INSTANCES), { default: 3, doc: `copies to run (1 to ${MAX_INSTANCES}; -n/--instances)` }),
  cwd: value(text('a directory path'), { default: '.', doc: 'working directory, relative to this file' }),
  env: mapping(envName, envValue, {
    expected: 'a mapping of environment variable names to values',
    doc: 'extra environment; values templated with {port} {index} {name} {group} {url} {extraPort1}...; PORT is always set',
  }),
  reservePorts: value(wholeNumber(0, 16), {
    default: 0,
    doc: "extra consecutive ports after each instance's own, 0 to 16 (e.g. 1 for Meteor's Mongo on port+1)",
  }),
  readiness: group(READINESS_FIELDS, {
    expected: 'a mapping of readiness settings',
    doc: 'how lb-dev tells that an instance may get traffic: http, logPattern or both',
  }),
  restart: group(RESTART_FIELDS, { expected: 'a mapping of restart settings', doc: 'restarting instances that exit or never become ready' }),
  stopGracePeriod: duration(0, { default: '5s', as: 'stopGraceMs', doc: 'SIGTERM, then SIGKILL after this long' }),
  dependsOn: list(memberName, {
    default: [],
    doc: 'groups or instances (`meteor`, `meteor-1`) that must be ready before this group starts; also lets env use {meteor-1.port}, {meteor-1.extraPort1}',
  }),
  startOrder: value(oneOf(START_ORDERS), {
    default: 'parallel',
    doc: 'parallel: start every instance at once; sequential: each once the one before it is ready (e.g. one heavy build at a time)',
  }),
  restartOn: group(
    {
      logFrom: value(nullable(memberName), { default: null, doc: 'group or instance whose output is watched for logPattern' }),
      logPattern: value(nullable(regex), { default: null, doc: 'a line of logFrom matching this (ANSI stripped) triggers the rolling restart' }),
      files: list(text('a file path'), {
        default: [],
        doc: "files (relative to the group's cwd) whose change triggers it; status shows the first one's time at each start as the instance's build",
      }),
      drain: duration(0, { default: '1s', as: 'drainMs', doc: 'wait after an instance left the balancer, before stopping it' }),
    },
    {
      expected: 'a mapping of restart triggers',
      doc: 'a rolling restart of this group (one at a time, each drained and confirmed out of Traefik first) when another group logs a line or a file changes',
    },
  ),
};
