// Failover side by side: the original proposal's static Traefik setup (A) and `lb-dev up` (B),
// the same Traefik binary, 3 demo instances each, the same load, the same SIGKILL of every
// process of instance 2 at the same point; with and without clients keeping the sticky cookie.
import { describeLoad, startLoad, timeline } from '../lib/http-load.mjs';
import { startUntil } from '../lib/lbdev.mjs';
import { startProposal } from '../lib/proposal.mjs';
import { load1 } from '../lib/machine.mjs';
import { sleep } from '../lib/util.mjs';

const BEFORE_MS = 1_000;

async function startSetup(variant, binary) {
  if (variant === 'A') {
    const p = await startProposal(binary);
    return { url: p.url, victimPid: p.instances[1].pid, stop: p.stop };
  }
  const { lb, value: status } = await startUntil(
    {
      config: { instances: 3, readiness: { http: { path: '/api/info' } } },
      traefik: { mode: 'binary', binary },
      label: 'lb-dev up (failover)',
    },
    (started) => started.allReady(3),
  );
  // Wait for Traefik to serve the routes, not only for lb-dev to have written them.
  await sleep(500);
  return { url: lb.url, victimPid: status.instances[1].pid, stop: lb.stop };
}

/** One run: load for BEFORE_MS, kill, load for afterMs more. */
async function runOnce({ variant, sticky, binary, afterMs, clients }) {
  const load = load1();
  const setup = await startSetup(variant, binary);
  try {
    const traffic = startLoad({ url: `${setup.url}/api/info`, clients, pauseMs: 10, sticky });
    await sleep(BEFORE_MS);
    const killAt = Date.now() - traffic.t0;
    process.kill(-setup.victimPid, 'SIGKILL'); // the instance's whole process group
    await sleep(afterMs);
    const answers = await traffic.stop();
    return { variant, sticky, load, killAt, ...describeLoad(answers, killAt), timeline: timeline(answers, 0, killAt + afterMs) };
  } finally {
    await setup.stop();
  }
}

export async function failover({ quick, binary, log }) {
  // Long enough after the kill for the proposal's 30 s health check to take the dead server out.
  const afterMs = quick ? 3_000 : 35_000;
  const runs = [];
  for (const sticky of [false, true]) {
    for (const variant of ['A', 'B']) {
      const r = await runOnce({ variant, sticky, binary, afterMs, clients: 8 });
      log(
        `failover ${variant}${sticky ? ' sticky' : ''}: ${r.sent} sent, ${r.failed} failed, window ${r.failureWindowMs} ms, p50/p99 ${r.p50Ms}/${r.p99Ms} ms ${JSON.stringify(r.reasons)}`,
      );
      runs.push(r);
    }
  }
  return { afterMs, beforeMs: BEFORE_MS, clients: 8, pauseMs: 10, runs };
}
