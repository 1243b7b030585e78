/** One HTTP readiness/health probe against an instance. A fresh connection each time (no keep-alive). */
import { HEALTH_CHECK_HEADER } from '../core/health-check.js';
import { httpGet } from './http-get.js';

export interface ProbeResult {
  ok: boolean;
  /** Why not ok, in a few words: `status 503`, `ECONNREFUSED`, `timeout after 2s`. */
  reason: string;
}

/** Answers at the status line: a probe path that streams (SSE) still counts. */
export async function probeHttp(url: string, timeoutMs: number, expectStatus: { min: number; max: number }): Promise<ProbeResult> {
  const headers = { 'user-agent': 'lb-dev-probe', [HEALTH_CHECK_HEADER]: '1' };
  try {
    const { status } = await httpGet(url, { timeoutMs, headers, maxBodyBytes: 0 });
    const ok = status >= expectStatus.min && status <= expectStatus.max;
    return { ok, reason: ok ? `status ${status}` : `status ${status}, expected ${expectStatus.min}-${expectStatus.max}` };
  } catch (error) {
    return { ok: false, reason: (error as Error).message };
  }
}
