/**
 * What a Rocket.Chat developer meets at once, checked before `up` starts N builds (and by
 * `doctor`): a Rocket.Chat already answering on the balancer's port, a MongoDB URL nobody
 * answers at, and too little free memory for N Meteor dev builds.
 */
import { connect } from 'node:net';
import { freemem } from 'node:os';
import type { LbDevConfig } from '../core/config/types.js';
import { LbDevError } from '../core/errors.js';
import { httpGet } from '../adapters/http-get.js';
import { isPortFree } from '../adapters/ports.js';
import type { CheckResult } from './check-result.js';

/** A Meteor dev build's working set, at the least (Rocket.Chat's want several GB each). */
export const BYTES_PER_METEOR_BUILD = 4 * 1024 ** 3;

/** host:port pairs of a mongodb:// URL (a replica set lists several); mongodb+srv:// has none to try. */
export function mongoHosts(url: string): Array<{ host: string; port: number }> {
  const match = /^mongodb:\/\/(?:[^@/]*@)?([^/?]+)/.exec(url);
  if (!match) return [];
  return match[1]!.split(',').map((entry) => {
    const bracket = /^\[([^\]]+)\](?::(\d+))?$/.exec(entry);
    const [host, port] = bracket ? [bracket[1]!, bracket[2]] : entry.split(':');
    return { host: host!, port: Number(port ?? 27017) };
  });
}

/** The database URL the preset's instances get from the user (null = meteor-1's built-in MongoDB). */
export function givenMongoUrl(config: LbDevConfig): string | null {
  const url = config.groups[0]?.env['MONGO_URL'];
  return url === undefined || url.includes('{') ? null : url;
}

/** Meteor dev processes this config runs (the commands that start `meteor`). */
export function meteorBuilds(config: LbDevConfig): number {
  return config.groups.filter((g) => /^meteor(\s|$)/.test(g.command)).reduce((n, g) => n + g.instances, 0);
}

function reachable(host: string, port: number, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** The version of a Rocket.Chat answering /api/info on this port, or null. */
export async function rocketChatOn(port: number): Promise<string | null> {
  try {
    const response = await httpGet(`http://127.0.0.1:${port}/api/info`, { timeoutMs: 2_000 });
    const body = JSON.parse(response.body) as { success?: unknown; version?: unknown };
    return body.success === true && typeof body.version === 'string' ? body.version : 'unknown version';
  } catch {
    return null;
  }
}

export async function checkBalancerPort(config: LbDevConfig): Promise<CheckResult> {
  const { port, host } = config.balancer;
  if (await isPortFree(port, host)) return { name: 'Rocket.Chat on the balancer port', status: 'ok', detail: `port ${port} is free` };
  const version = await rocketChatOn(port);
  return version === null
    ? { name: 'Rocket.Chat on the balancer port', status: 'ok', detail: `port ${port} is taken, but not by a Rocket.Chat (see the balancer port check)` }
    : {
        name: 'Rocket.Chat on the balancer port',
        status: 'fail',
        detail: `a Rocket.Chat (${version}) already answers on port ${port}, the balancer's port: probably your own \`yarn dev\`/\`meteor\``,
        fix: `stop it (and its MongoDB on ${port + 1}), or put the balancer elsewhere: lb-dev up --port ${port + 100}`,
      };
}

/** A TCP connection only: whether it is a replica set needs a MongoDB driver, which lb-dev does not carry. */
export async function checkMongo(config: LbDevConfig): Promise<CheckResult> {
  const url = givenMongoUrl(config);
  if (url === null) return { name: 'MongoDB', status: 'ok', detail: "meteor-1's built-in MongoDB (on its port+1) serves every instance" };
  const hosts = mongoHosts(url);
  if (hosts.length === 0) return { name: 'MongoDB', status: 'skip', detail: `${url}: no host:port to try (mongodb+srv)` };
  const answers = await Promise.all(hosts.map((h) => reachable(h.host, h.port, 3_000)));
  const up = hosts.filter((_, i) => answers[i]).map((h) => `${h.host}:${h.port}`);
  if (up.length === 0) {
    return {
      name: 'MongoDB',
      status: 'fail',
      detail: `nothing accepts connections at ${hosts.map((h) => `${h.host}:${h.port}`).join(', ')} (MONGO_URL ${url})`,
      fix: 'start your replica set (e.g. docker run -d -p 27017:27017 mongo:7 --replSet rs0, then rs.initiate() in mongosh), or leave MONGO_URL unset to use the built-in one',
    };
  }
  const replicaSet = /[?&]replicaSet=/.test(url);
  return {
    name: 'MongoDB',
    status: replicaSet ? 'ok' : 'warn',
    detail:
      `${up.join(', ')} accepts connections (a TCP check: lb-dev has no MongoDB driver to ask whether it is a replica set)` +
      (replicaSet ? '' : '; the URL names no replicaSet='),
    ...(replicaSet ? {} : { fix: 'Rocket.Chat needs a replica set: add ?replicaSet=<name> to the URL once rs.initiate() has run' }),
  };
}

export function checkMemory(config: LbDevConfig, freeBytes = freemem()): CheckResult {
  const builds = meteorBuilds(config);
  const want = builds * BYTES_PER_METEOR_BUILD;
  const gib = (bytes: number) => `${(bytes / 1024 ** 3).toFixed(1)} GiB`;
  if (freeBytes >= want) return { name: 'memory', status: 'ok', detail: `${gib(freeBytes)} free for ${builds} Meteor dev build(s)` };
  return {
    name: 'memory',
    status: 'warn',
    detail: `${gib(freeBytes)} free; ${builds} Meteor dev build(s) want about ${gib(want)} (each several GB)`,
    fix:
      builds > 1
        ? 'use rocketchat.mode: replicas (one build, the others run its bundle) or fewer instances (-n)'
        : 'close other programs; a Rocket.Chat dev build needs several GB',
  };
}

export async function rocketChatChecks(config: LbDevConfig): Promise<CheckResult[]> {
  return [await checkBalancerPort(config), await checkMongo(config), checkMemory(config)];
}

/** Before `up` starts anything: a failed check stops it with the reason; warnings are said once. */
export async function preflightRocketChat(config: LbDevConfig, warn: (text: string) => void): Promise<void> {
  for (const result of await rocketChatChecks(config)) {
    const text = `${result.detail}${result.fix ? `; ${result.fix}` : ''}`;
    if (result.status === 'warn') warn(text);
    if (result.status !== 'fail') continue;
    throw new LbDevError(result.name === 'MongoDB' ? 'MONGO_UNREACHABLE' : 'PORT_IN_USE', text);
  }
}
