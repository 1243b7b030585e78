/**
 * Whether a running Traefik serves its web UI at <api>/dashboard/. A Traefik built from source
 * whose dashboard step failed answers 404 or 500 there while its API and routes work; lb-dev
 * says so once, with the reason its build recorded, instead of leaving users to find Traefik's
 * repeated "Error appending dashboard to API router" in its log.
 */
import { httpGet } from '../http-get.js';
import { readBuildMarker } from './obtain/build-from-source.js';

export type DashboardAnswer = { served: true } | { served: false; answer: string };

export async function probeTraefikDashboard(apiUrl: string, timeoutMs = 3_000): Promise<DashboardAnswer> {
  try {
    const { status, body } = await httpGet(`${apiUrl}/dashboard/`, { timeoutMs, redirects: 3 });
    const ok = status >= 200 && status < 300;
    if (ok && /<script[^>]+src=/.test(body)) return { served: true };
    return { served: false, answer: ok ? 'HTTP 200 without the web UI' : `HTTP ${status}` };
  } catch (error) {
    return { served: false, answer: `no answer (${(error as Error).message})` };
  }
}

/** Why a binary lb-dev built has no dashboard, from its build record; null when unknown or it has one. */
export async function missingDashboardReason(binary: string | undefined): Promise<string | null> {
  if (!binary) return null;
  const marker = await readBuildMarker(binary);
  return marker && !marker.dashboard ? marker.webui : null;
}

/** The one line `up` prints about it. */
export function dashboardMissingText(apiUrl: string, answer: string, reason: string | null, binary: string | undefined): string {
  const why = reason ? `this Traefik was built without its web UI: ${reason}` : 'this Traefik has no web UI';
  const fix = binary
    ? `remove ${binary} and run scripts/provide-traefik.sh --binary to build it again`
    : 'use an official Traefik image or binary, or rebuild it with scripts/provide-traefik.sh';
  return `Traefik's dashboard ${apiUrl}/dashboard/ answered ${answer} (${why}); routes and the API are unaffected. To get it: ${fix}`;
}
