/**
 * `--traefik external`: the user runs Traefik and points its file provider at lb-dev's
 * dynamic directory (docs/traefik-external.md). lb-dev writes the routes, and a static config
 * next to them that such a Traefik can start from; it confirms changes through the user's
 * API when traefik.apiUrl is set.
 */
import type { RuntimeContext, TraefikRuntime } from './runtime.js';
import { hostPaths, writeStaticConfig } from './static-file.js';

export class ExternalTraefikRuntime implements TraefikRuntime {
  readonly mode = 'external' as const;
  readonly backendHost = '127.0.0.1';
  readonly apiUrl: string | null;

  constructor(private readonly ctx: RuntimeContext) {
    this.apiUrl = ctx.config.traefik.apiUrl;
  }

  describe(): string {
    return (
      `external Traefik: point its file provider at ${this.ctx.layout.dynamicDir}` +
      (this.apiUrl ? `; confirming changes through ${this.apiUrl}` : ' (no traefik.apiUrl: changes are written, not confirmed)')
    );
  }

  async start(onProgress: (message: string) => void): Promise<void> {
    const file = await writeStaticConfig(this.ctx.config, this.ctx.layout, hostPaths(this.ctx.config, this.ctx.layout));
    onProgress(`to run a Traefik of your own on these routes: traefik --configFile=${file}`);
  }

  async stop(): Promise<void> {}
}
