/** Creates the Traefik runtime for the mode chosen (choose-traefik.ts). */
import type { LbDevConfig } from '../../core/config/types.js';
import { LbDevError } from '../../core/errors.js';
import type { TraefikChoice } from './choose-traefik.js';
import { ExternalTraefikRuntime } from './external-runtime.js';
import type { RuntimeContext, TraefikRuntime } from './runtime.js';

/** The config a runtime runs with: the chosen mode, the executable found, the API port in use. */
export function effectiveConfig(config: LbDevConfig, choice: TraefikChoice, apiPort: number): LbDevConfig {
  return { ...config, traefik: { ...config.traefik, mode: choice.mode, apiPort, ...(choice.binary ? { binary: choice.binary } : {}) } };
}

export async function createTraefikRuntime(ctx: RuntimeContext): Promise<TraefikRuntime> {
  switch (ctx.config.traefik.mode) {
    case 'external':
      return new ExternalTraefikRuntime(ctx);
    case 'docker': {
      const { DockerTraefikRuntime } = await import('./docker-runtime.js');
      return DockerTraefikRuntime.create(ctx);
    }
    case 'binary': {
      const { BinaryTraefikRuntime } = await import('./binary-runtime.js');
      return BinaryTraefikRuntime.create(ctx);
    }
    case 'auto':
      throw new LbDevError('INTERNAL', 'createTraefikRuntime: expected a chosen mode (docker, binary or external), got auto');
  }
}
