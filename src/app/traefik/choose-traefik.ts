/**
 * Decides how Traefik runs for this `up`: `traefik.mode: auto` probes the facts that
 * core/traefik/choose-mode.ts asks for, one at a time; an explicit mode is taken as set
 * (binary mode still finds or obtains its executable here). The result is one line for the
 * output and `status`, and the mode and executable the runtime is created with.
 */
import type { LbDevConfig } from '../../core/config/types.js';
import { LbDevError, isLbDevError } from '../../core/errors.js';
import { type BinaryFact, type ModeFacts, type ModeProbe, nextModeStep } from '../../core/traefik/choose-mode.js';
import type { DockerEngine } from '../../adapters/traefik/docker.js';
import type { ObtainOptions, ObtainProgress } from '../../adapters/traefik/obtain/obtain-traefik.js';

export interface TraefikChoice {
  mode: 'docker' | 'binary' | 'external';
  /** auto = chosen by probing; configured = traefik.mode or --traefik said so. */
  how: 'auto' | 'configured';
  why: string;
  /** The executable for mode binary. */
  binary?: string;
}

/*
 * dockerode and the obtain code are loaded only when a mode needs them: a module stays in memory
 * for the supervisor's whole life once loaded (dockerode alone is ~25 MB of RSS), and
 * `traefik.mode: external` needs neither.
 */
const docker = () => import('../../adapters/traefik/docker.js');
const obtain = () => import('../../adapters/traefik/obtain/obtain-traefik.js');

/** Download progress arrives many times a second: one line per this many ms at most. */
const PROGRESS_EVERY_MS = 1_000;

export async function chooseTraefik(config: LbDevConfig, env: NodeJS.ProcessEnv, say: (line: string) => void): Promise<TraefikChoice> {
  const { traefik } = config;
  switch (traefik.mode) {
    case 'external':
      return { mode: 'external', how: 'configured', why: traefik.apiUrl ? `your own Traefik, API ${traefik.apiUrl}` : 'your own Traefik' };
    case 'docker':
      return { mode: 'docker', how: 'configured', why: `image ${traefik.image} in Docker` };
    case 'binary': {
      const { obtainTraefik, describeObtainProgress } = await obtain();
      const found = await obtainTraefik(obtainOptions(config, env, say, true, describeObtainProgress));
      return { mode: 'binary', how: 'configured', why: found.why, binary: found.path };
    }
    case 'auto':
      return chooseAuto(config, env, say);
  }
}

async function chooseAuto(config: LbDevConfig, env: NodeJS.ProcessEnv, say: (line: string) => void): Promise<TraefikChoice> {
  const image = config.traefik.image;
  let engine: DockerEngine | null = null;
  const probes: Record<ModeProbe, () => Promise<ModeFacts[ModeProbe]>> = {
    docker: async () => {
      try {
        engine = await (await docker()).connectDocker();
        return { ok: true, engine: engine.endpoint };
      } catch (error) {
        if (!isLbDevError(error)) throw error;
        return { ok: false, reason: error.details.length ? `tried ${error.details.join('; ')}` : error.message };
      }
    },
    image: async () => {
      const docker = engine!;
      try {
        if (await docker.imageExists(image)) return { ok: true, pulled: false };
        say(`image ${image} is not here; trying to pull it ...`);
        await docker.pullImage(image, throttled(say));
        return { ok: true, pulled: true };
      } catch (error) {
        return { ok: false, reason: (error as Error).message };
      }
    },
    binary: () => binaryFact(config, env, say, false, []),
    obtained: () => binaryFact(config, env, say, true, facts.binary && !facts.binary.ok ? facts.binary.tried : []),
  };
  const facts: ModeFacts = {};
  for (;;) {
    const step = nextModeStep(facts, image);
    if (step.kind === 'probe') {
      (facts as Record<ModeProbe, unknown>)[step.probe] = await probes[step.probe]();
      continue;
    }
    if (step.kind === 'chosen') {
      return step.mode === 'binary' ? { mode: 'binary', how: 'auto', why: step.why, binary: step.binary } : { mode: 'docker', how: 'auto', why: step.why };
    }
    throw new LbDevError(
      'TRAEFIK_UNAVAILABLE',
      'expected a way to run Traefik (traefik.mode auto): Docker with the image, or a traefik binary; found none and could not get one',
      {
        details: step.tried,
      },
    );
  }
}

/** What obtainTraefik found or got; TRAEFIK_UNAVAILABLE is an answer here (what was tried), not a failure. */
async function binaryFact(
  config: LbDevConfig,
  env: NodeJS.ProcessEnv,
  say: (line: string) => void,
  allowObtain: boolean,
  alreadyTried: string[],
): Promise<BinaryFact> {
  const { obtainTraefik, describeObtainProgress } = await obtain();
  const options = obtainOptions(config, env, say, allowObtain, describeObtainProgress);
  try {
    const found = await obtainTraefik(options);
    return { ok: true, path: found.path, how: found.why };
  } catch (error) {
    if (!isLbDevError(error) || error.code !== 'TRAEFIK_UNAVAILABLE') throw error;
    const tried = error.details.filter((line) => !alreadyTried.includes(line));
    return { ok: false, tried: options.allowDownload || options.allowBuild ? tried : tried.filter((line) => !line.endsWith(': not allowed')) };
  }
}

function obtainOptions(
  config: LbDevConfig,
  env: NodeJS.ProcessEnv,
  say: (line: string) => void,
  allowObtain: boolean,
  describeObtainProgress: (event: ObtainProgress) => string,
): ObtainOptions {
  const progress = throttled(say);
  return {
    allowDownload: allowObtain && config.traefik.download,
    // Go present is the condition; the download, when allowed, comes first.
    allowBuild: allowObtain,
    env,
    ...(config.explicit.traefikBinary ? { configured: config.traefik.binary } : {}),
    ...(config.traefik.downloadUrl !== null ? { downloadBaseUrl: config.traefik.downloadUrl } : {}),
    onProgress: (event) => (event.kind === 'message' ? say(event.text) : progress(describeObtainProgress(event), event.percent === 100)),
  };
}

/** At most one line per PROGRESS_EVERY_MS, and always the last (`final`). */
function throttled(say: (line: string) => void): (line: string, final?: boolean) => void {
  let last = 0;
  return (line, final = false) => {
    const now = Date.now();
    if (!final && now - last < PROGRESS_EVERY_MS) return;
    last = now;
    say(line);
  };
}
