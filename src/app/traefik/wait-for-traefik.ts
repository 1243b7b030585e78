/** Waits until a freshly started Traefik answers its ping, or says why it did not. */
import { LbDevError } from '../../core/errors.js';
import { pollUntil } from '../../adapters/poll.js';
import { POLL_INTERVAL_MS, TraefikApi } from '../../adapters/traefik/api-client.js';

export const START_TIMEOUT_MS = 30_000;

export async function waitForTraefik(apiUrl: string, recentLines: () => string[], stillRunning: () => boolean): Promise<void> {
  const api = new TraefikApi(apiUrl);
  // A Traefik that exited will never answer: stop asking at once.
  const { outcome } = await pollUntil(async () => (await api.ping()) || !stillRunning(), { timeoutMs: START_TIMEOUT_MS, intervalMs: POLL_INTERVAL_MS });
  if (outcome === 'met' && stillRunning()) return;
  const lines = recentLines().slice(-15);
  throw new LbDevError(
    'TRAEFIK_START_FAILED',
    stillRunning() ? `Traefik did not answer ${apiUrl}/ping within ${START_TIMEOUT_MS / 1000}s` : 'Traefik exited during start-up',
    { details: lines.length ? ['its last log lines:', ...lines] : ['it printed nothing'] },
  );
}
