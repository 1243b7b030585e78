/**
 * The commented lb-dev.config.yaml that `lb-dev init` writes (pure: choices in, text out).
 * It names only what the user is likely to change; every other key keeps its default (or the
 * preset's), listed in docs/configuration.md.
 */
import type { RocketChatMode } from './presets/rocketchat.js';

export const INIT_PRESETS = ['rocketchat', 'generic'] as const;
export type InitPreset = (typeof INIT_PRESETS)[number];

export interface InitChoices {
  preset: InitPreset;
  mode: RocketChatMode;
  instances: number;
  mongoUrl: string | null;
  /** generic: the dev command to run (null = the built-in demo app). */
  command: string | null;
}

const quote = (text: string) => JSON.stringify(text);

export function renderInitConfig(choices: InitChoices): string {
  return choices.preset === 'rocketchat' ? rocketChatFile(choices) : genericFile(choices);
}

function rocketChatFile(c: InitChoices): string {
  return `# lb-dev.config.yaml, written by \`lb-dev init --preset rocketchat\`.
# Start: lb-dev up (or yarn lb:dev), then open http://127.0.0.1:3000. Guide: docs/rocketchat.md of lb-dev.
preset: rocketchat

rocketchat:
  # replicas: ONE Meteor dev process (hot reload, builds once) plus copies of its built bundle
  #   (node .meteor/local/build/main.js), restarted one at a time after each rebuild. Light on memory.
  # independent: every instance is its own Meteor dev process with its own .meteor/local-<name>:
  #   each builds (several GB each, started one after another) and hot-reloads by itself.
  mode: ${c.mode}
  # All instances together, meteor-1 included (lb-dev up -n N overrides it).
  instances: ${c.instances}
  # Your MongoDB replica set, shared by every instance. null = meteor-1's built-in MongoDB on
  # its port+1 (reserved). MONGO_URL in the environment or --mongo-url override it.
  mongoUrl: ${c.mongoUrl === null ? 'null' : quote(c.mongoUrl)}
  # The Meteor app, relative to this file.
  appDir: apps/meteor

# The preset sets, and any key written here overrides (see docs/configuration.md):
#   balancer: port 3000 (ROOT_URL of every instance), stickyCookie rocketchat-server,
#     websocketPaths [/websocket, /sockjs], healthCheck.path /api/info
#   groups.meteor: meteor --exclude-archs "web.browser.legacy, web.cordova" --port {port}, in apps/meteor,
#     env ROOT_URL={url} INSTANCE_IP=127.0.0.1, ready on /api/info + the SERVER RUNNING line, startTimeout 20m
#   groups.${c.mode === 'replicas' ? 'replica: node .meteor/local/build/main.js, after meteor-1, MONGO_URL at meteor-1\'s database,\n#     restartOn: meteor\'s "=> Meteor server restarted" or a new .meteor/local/build/main.js' : "peer: more Meteor dev processes, after meteor-1, one at a time (startOrder: sequential),\n#     METEOR_LOCAL_DIR=.meteor/local-{name}, MONGO_URL at meteor-1's database"}
# For example:
# groups:
#   meteor:
#     env:
#       OVERWRITE_SETTING_Show_Setup_Wizard: completed
`;
}

function genericFile(c: InitChoices): string {
  return `# lb-dev.config.yaml, written by \`lb-dev init\`. Every key: docs/configuration.md of lb-dev.
# Start: lb-dev up, then open http://127.0.0.1:3000.

# The dev command each instance runs; it gets its own port in PORT (also {port} here).
# null = lb-dev's built-in demo app.
command: ${c.command === null ? 'null' : quote(c.command)}
# How many copies run behind the balancer (lb-dev up -n N overrides it).
instances: ${c.instances}
readiness:
  # An instance gets traffic once this path answers 2xx/3xx.
  http:
    path: /
balancer:
  # The one URL you open.
  port: 3000
`;
}
