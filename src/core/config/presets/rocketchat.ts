/**
 * `preset: rocketchat`: what a Rocket.Chat checkout needs, written as ordinary config (raw, as
 * in the file) that the user's own keys are merged over, so every key stays overridable.
 * Pure: the facts behind each value are in docs/rocketchat.md.
 *
 * - replicas: ONE Meteor dev process (`meteor`, hot reload, builds once) and N-1 replicas
 *   (`replica`) running its bundle `node .meteor/local/build/main.js`; they start once meteor-1
 *   is ready and roll, one at a time, when it rebuilds.
 * - independent: N Meteor dev processes, each with its own METEOR_LOCAL_DIR, one after another.
 * Both share one database: the URL given, or meteor-1's built-in MongoDB on its port+1.
 */
export const ROCKETCHAT_MODES = ['replicas', 'independent'] as const;
export type RocketChatMode = (typeof ROCKETCHAT_MODES)[number];

export interface RocketChatInputs {
  mode: RocketChatMode;
  /** All instances together (meteor-1 included). */
  instances: number;
  /** The user's MongoDB (a replica set); null = meteor-1's built-in one. */
  mongoUrl: string | null;
  /** The Meteor app, relative to the config file. */
  appDir: string;
}

export interface PresetExpansion {
  /** Config as written in a file: the user's keys go over it. */
  raw: Record<string, unknown>;
  /** Said once at start. */
  notices: string[];
}

/** apps/meteor's own `dev` script, plus the port lb-dev gives it (Meteor's dev server ignores PORT). */
export const METEOR_COMMAND = 'meteor --exclude-archs "web.browser.legacy, web.cordova" --port {port}';
export const BUNDLE_COMMAND = 'node .meteor/local/build/main.js';
export const BUNDLE_FILE = '.meteor/local/build/main.js';
/** The box Rocket.Chat prints 100 ms after Meteor.startup (apps/meteor/server/startup/serverRunning.ts). */
export const READY_LINE = 'SERVER RUNNING';
export const REBUILT_LINE = '^=> Meteor server restarted';
export const LICENCE_NOTICE =
  'Rocket.Chat: without an Enterprise licence (the `scalability` module) instances do not broadcast events to each other: ' +
  'typing indicators, presence and some notifications stay on the instance where they happen, and admins see "You are operating multiple instances without an active enterprise license".';

const readiness = (startTimeout: string) => ({
  http: { path: '/api/info', interval: '1s', timeout: '5s' },
  logPattern: READY_LINE,
  startTimeout,
});

export function rocketChatPreset(inputs: RocketChatInputs): PresetExpansion {
  const builtInMongo = inputs.mongoUrl === null;
  const shared = { ROOT_URL: '{url}', INSTANCE_IP: '127.0.0.1' };
  const mongoEnv = builtInMongo
    ? { MONGO_URL: 'mongodb://127.0.0.1:{meteor-1.extraPort1}/meteor', MONGO_OPLOG_URL: 'mongodb://127.0.0.1:{meteor-1.extraPort1}/local' }
    : { MONGO_URL: inputs.mongoUrl };
  const independent = inputs.mode === 'independent';
  const meteor = {
    command: METEOR_COMMAND,
    cwd: inputs.appDir,
    instances: 1,
    // Meteor's own MongoDB listens on port+1: reserved so that no instance, nor Traefik, gets it.
    reservePorts: builtInMongo ? 1 : 0,
    env: { ...shared, ...(builtInMongo ? {} : mongoEnv), ...(independent ? { METEOR_LOCAL_DIR: '.meteor/local-{name}' } : {}) },
    readiness: readiness('20m'),
    stopGracePeriod: '10s',
  };
  const groups: Record<string, unknown> = { meteor };
  const others = inputs.instances - 1;
  if (others > 0 && !independent) {
    groups['replica'] = {
      command: BUNDLE_COMMAND,
      cwd: inputs.appDir,
      instances: others,
      dependsOn: ['meteor-1'],
      env: { ...shared, ...mongoEnv },
      readiness: readiness('5m'),
      restartOn: { logFrom: 'meteor', logPattern: REBUILT_LINE, files: [BUNDLE_FILE], drain: '1s' },
      stopGracePeriod: '10s',
    };
  }
  if (others > 0 && independent) {
    groups['peer'] = {
      command: METEOR_COMMAND,
      cwd: inputs.appDir,
      instances: others,
      dependsOn: ['meteor-1'],
      // Each cold build takes gigabytes of memory: one at a time.
      startOrder: 'sequential',
      env: { ...shared, ...mongoEnv, METEOR_LOCAL_DIR: '.meteor/local-{name}' },
      readiness: readiness('20m'),
      stopGracePeriod: '10s',
    };
  }
  return {
    raw: {
      balancer: {
        port: 3000,
        stickyCookie: 'rocketchat-server',
        websocketPaths: ['/websocket', '/sockjs'],
        healthCheck: { path: '/api/info', interval: '5s', timeout: '3s' },
      },
      groups,
    },
    notices: inputs.instances > 1 ? [LICENCE_NOTICE] : [],
  };
}

/** `over` merged onto `base`: mappings key by key, anything else (lists included) replaced; null (all commented out) keeps base. */
export function mergeRaw(base: unknown, over: unknown): unknown {
  if (over === undefined || over === null) return base;
  if (!isMapping(base) || !isMapping(over)) return over;
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(over)) out[key] = mergeRaw(base[key], value);
  return out;
}

function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
