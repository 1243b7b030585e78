/** Picks the Traefik runtime for `traefik.mode`. */
import type { LbDevConfig } from '../../core/config/types.js';
import type { LogHub } from '../../adapters/logs/log-hub.js';
import type { LifelineWatch } from '../../adapters/process/lifeline.js';
import type { StateLayout } from '../state-dir.js';
import { ExternalTraefikRuntime } from './external-runtime.js';
import type { TraefikRuntime } from './runtime.js';

export interface RuntimeContext {
  config: LbDevConfig;
  layout: StateLayout;
  logs: LogHub;
  /** Told of a local Traefik's process group and of the container, so a killed `up` leaves neither. */
  lifeline?: LifelineWatch;
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
  }
}
