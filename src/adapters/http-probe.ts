/** One HTTP readiness/health probe against an instance. A fresh connection each time (no keep-alive). */
import { request } from 'node:http';
import { HEALTH_CHECK_HEADER } from '../core/health-check.js';

export interface ProbeResult {
  ok: boolean;
  /** Why not ok, in a few words: `status 503`, `ECONNREFUSED`, `timeout after 2s`. */
  reason: string;
}

export function probeHttp(url: string, timeoutMs: number, expectStatus: { min: number; max: number }): Promise<ProbeResult> {
  return new Promise((resolve) => {
    let settled = false;
    const done = (result: ProbeResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.destroy();
      resolve(result);
    };
    const headers = { 'user-agent': 'lb-dev-probe', [HEALTH_CHECK_HEADER]: '1', connection: 'close' };
    const req = request(url, { method: 'GET', agent: false, headers }, (res) => {
      res.resume();
      const status = res.statusCode ?? 0;
      const ok = status >= expectStatus.min && status <= expectStatus.max;
      done({ ok, reason: ok ? `status ${status}` : `status ${status}, expected ${expectStatus.min}-${expectStatus.max}` });
    });
    const timer = setTimeout(() => done({ ok: false, reason: `no answer within ${timeoutMs}ms` }), timeoutMs);
    req.on('error', (error: NodeJS.ErrnoException) => done({ ok: false, reason: error.code ?? error.message }));
    req.end();
  });
}
