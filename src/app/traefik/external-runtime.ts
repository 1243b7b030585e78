/**
 * `--traefik external`: the user runs Traefik and points its file provider at lb-dev's
 * dynamic directory (docs/traefik-external.md). lb-dev only writes the routes, and confirms
 * them through the user's API when traefik.apiUrl is set.
 */
import type { TraefikRuntime } from './runtime.js';

export class ExternalTraefikRuntime implements TraefikRuntime {
  readonly mode = 'external' as const;
  readonly backendHost = '127.0.0.1';

  constructor(readonly apiUrl: string | null, private readonly dynamicDir: string) {}

  describe(): string {
    return `external Traefik: point its file provider at ${this.dynamicDir}`
      + (this.apiUrl ? `; confirming changes through ${this.apiUrl}` : ' (no traefik.apiUrl: changes are written, not confirmed)');
  }

  async start(): Promise<void> {}

  async stop(): Promise<void> {}
}
