/**
 * `lb-dev doctor` for `traefik.mode: auto`: what `up` would choose and why, from the same
 * decision (core/traefik/choose-mode.ts) over facts doctor can learn without changing
 * anything - no image pull, no download, no build.
 */
import type { LbDevConfig } from '../../core/config/types.js';
import { isLbDevError } from '../../core/errors.js';
import { type ModeFacts, nextModeStep } from '../../core/traefik/choose-mode.js';
import { TRAEFIK_REQUIRED_GO } from '../../core/traefik/release.js';
import { type DockerEngine, connectDocker } from '../../adapters/traefik/docker.js';
import { findGo } from '../../adapters/traefik/obtain/build-from-source.js';
import { downloadBaseUrl } from '../../adapters/traefik/obtain/download-release.js';
import { obtainTraefik } from '../../adapters/traefik/obtain/obtain-traefik.js';
import type { CheckResult } from '../check-result.js';

const NAME = 'Traefik (mode auto)';

export async function checkAutoChoice(config: LbDevConfig, env: NodeJS.ProcessEnv): Promise<CheckResult> {
  const image = config.traefik.image;
  const facts: ModeFacts = {};
  let engine: DockerEngine | null = null;
  try {
    engine = await connectDocker();
    facts.docker = { ok: true, engine: engine.endpoint };
  } catch (error) {
    if (!isLbDevError(error)) throw error;
    facts.docker = { ok: false, reason: error.details.length ? `tried ${error.details.join('; ')}` : error.message };
  }
  if (engine) {
    facts.image = (await engine.imageExists(image).catch(() => false))
      ? { ok: true, pulled: false }
      : { ok: false, reason: 'not present; `up` tries to pull it first' };
  }
  try {
    const found = await obtainTraefik({
      allowDownload: false,
      allowBuild: false,
      env,
      ...(config.explicit.traefikBinary ? { configured: config.traefik.binary } : {}),
    });
    facts.binary = { ok: true, path: found.path, how: found.why };
  } catch (error) {
    if (!isLbDevError(error)) throw error;
    if (error.code !== 'TRAEFIK_UNAVAILABLE') {
      return { name: NAME, status: 'fail', detail: error.message, fix: error.fix };
    }
    facts.binary = { ok: false, tried: error.details.filter((line) => !line.endsWith(': not allowed')) };
  }

  const step = nextModeStep(facts, image);
  if (step.kind === 'chosen') {
    const pull = step.mode === 'binary' && facts.docker.ok ? ` (unless \`up\` can pull ${image})` : '';
    return { name: NAME, status: 'ok', detail: `up would run ${step.mode}${pull}: ${step.why}` };
  }
  // No binary here: `up` would obtain one.
  const base = config.traefik.downloadUrl ?? downloadBaseUrl(env);
  const go = await findGo(env).catch(() => null);
  const ways = [
    config.traefik.download ? `download Traefik from ${base} (cached afterwards)` : null,
    go ? `build it from source with go${go.version} (minutes)` : null,
  ].filter((way): way is string => way !== null);
  const tried = step.kind === 'probe' && facts.binary && !facts.binary.ok ? facts.binary.tried.join('; ') : '';
  if (ways.length === 0) {
    return {
      name: NAME,
      status: 'fail',
      detail: `no Docker with ${image}, no traefik binary (${tried}), download off (traefik.download: false) and no Go >= ${TRAEFIK_REQUIRED_GO}`,
      fix: 'start Docker, put traefik v3 on PATH (or set traefik.binary), or allow the download (traefik.download: true)',
    };
  }
  return { name: NAME, status: 'warn', detail: `no Docker with ${image} and no traefik binary here (${tried}); up would ${ways.join(', else ')}` };
}
