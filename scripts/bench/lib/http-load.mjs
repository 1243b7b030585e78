// Steady keep-alive load on one URL, 127.0.0.1 only, bounded in clients, rate and count:
// each client sends a request, waits for the answer, pauses `pauseMs`, and sends the next.
// A failure is an answer >= 500 or no answer (status 0: refused, reset, timeout).
import http from 'node:http';
import { quantile } from './util.mjs';

const REQUEST_TIMEOUT_MS = 5_000;

export function get(agent, url, headers = {}) {
  return new Promise((resolve) => {
    const req = http.get(url, { agent, timeout: REQUEST_TIMEOUT_MS, headers }, (res) => {
      let body = '';
      res.on('data', (d) => {
        body += d;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, setCookie: res.headers['set-cookie'] }));
      res.on('error', (e) => resolve({ status: 0, body: `response: ${e.message}`, code: e.code }));
    });
    req.on('timeout', () => req.destroy(Object.assign(new Error(`timeout (${REQUEST_TIMEOUT_MS} ms)`), { code: 'TIMEOUT' })));
    req.on('error', (e) => resolve({ status: 0, body: e.message, code: e.code, reused: req.reusedSocket }));
  });
}

const failed = (res) => res.status === 0 || res.status >= 500;

/**
 * Starts the load; `stop()` ends it and resolves with every answer's time. With `sticky`, each
 * client keeps the cookies it was given, like a browser.
 */
export function startLoad({ url, clients = 8, pauseMs = 10, sticky = false, maxRequests = 200_000 }) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: clients });
  const t0 = Date.now();
  const answers = []; // { at, ms, ok, why }
  let stopped = false;
  const loops = Array.from({ length: clients }, async () => {
    let cookie = null;
    while (!stopped && answers.length < maxRequests) {
      const sentAt = Date.now();
      const res = await get(agent, url, cookie ? { cookie } : {});
      const at = Date.now();
      if (sticky && res.setCookie) cookie = res.setCookie.map((c) => c.split(';')[0]).join('; ');
      const bad = failed(res);
      answers.push({ at: at - t0, ms: at - sentAt, ok: !bad, why: bad ? (res.status === 0 ? (res.code ?? res.body) : String(res.status)) : null });
      if (pauseMs > 0) await new Promise((r) => setTimeout(r, pauseMs));
    }
  });
  return {
    t0,
    async stop() {
      stopped = true;
      await Promise.all(loops);
      agent.destroy();
      return answers;
    },
  };
}

/** Counts, failure window and latency of a load's answers; `eventAt` (ms after t0) marks the kill. */
export function describeLoad(answers, eventAt = null) {
  const failures = answers.filter((a) => !a.ok);
  const reasons = {};
  for (const f of failures) reasons[f.why] = (reasons[f.why] ?? 0) + 1;
  const latencies = answers.map((a) => a.ms);
  return {
    sent: answers.length,
    failed: failures.length,
    reasons,
    firstFailureMs: failures.length && eventAt !== null ? failures[0].at - eventAt : null,
    failureWindowMs: failures.length ? failures.at(-1).at - failures[0].at : 0,
    p50Ms: quantile(latencies, 0.5),
    p99Ms: quantile(latencies, 0.99),
  };
}

/** Successes and failures per `bucketMs`, from `fromMs` to `toMs` after t0. */
export function timeline(answers, fromMs, toMs, bucketMs = 100) {
  const n = Math.max(1, Math.ceil((toMs - fromMs) / bucketMs));
  const ok = new Array(n).fill(0);
  const bad = new Array(n).fill(0);
  for (const a of answers) {
    const i = Math.floor((a.at - fromMs) / bucketMs);
    if (i < 0 || i >= n) continue;
    (a.ok ? ok : bad)[i]++;
  }
  return { bucketMs, fromMs, ok, bad };
}
