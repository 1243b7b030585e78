// The soak's operation storm (`scripts/soak.mjs --storm N`): the storm of scripts/lib/storm.mjs
// against the soak's `up` over its control socket (the built dist/), checked every second, and
// the agreement check once it is over.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { disagreement, runStorm, seededRandom, untrackedProcesses } from './storm.mjs';

/**
 * Starts `clients` storm clients until `until()` is false. `finish()` waits for them, scales to 3,
 * starts what is stopped, and reports: operations, refusals, the seconds with an untracked
 * process, and what still disagreed 30 s later (null when all agreed).
 */
export async function startStorm({ root, stateDir, apiPort, clients, until, markedProcesses }) {
  const { ControlClient } = await import(join(root, 'dist', 'control', 'client.js'));
  const { stateLayout } = await import(join(root, 'dist', 'app', 'state-dir.js'));
  const layout = stateLayout(stateDir);
  async function control(method, params = {}) {
    const client = await ControlClient.connect(layout.socket, layout.root);
    try {
      return await client.call(method, params);
    } finally {
      client.close();
    }
  }
  const violations = [];
  const watch = setInterval(() => {
    const found = untrackedProcesses(stateDir, markedProcesses);
    if (found.length) violations.push(`${new Date().toISOString()} untracked: ${found.join(', ')}`);
  }, 1_000);
  const running = runStorm({ call: control, clients, until, random: seededRandom(1) });
  return {
    violations,
    async finish() {
      const counts = await running.finally(() => clearInterval(watch));
      await control('scale', { count: 3, drainMs: 0, wait: true });
      for (const instance of (await control('status')).instances)
        if (instance.desired === 'stopped') await control('start', { instance: instance.name, wait: true });
      const deadline = Date.now() + 30_000;
      let problem = null;
      do {
        const report = await control('status');
        problem = disagreement({
          report,
          traefikUrls: await traefikUrls(apiPort),
          runningNames: runningNames(markedProcesses),
          stateDir,
          marked: markedProcesses,
        });
        if (problem !== null) await sleep(250);
      } while (problem !== null && Date.now() < deadline);
      return { clients, ...counts, violations, disagreementAfter: problem };
    },
  };
}

/** The instance names the marked processes were started for (LB_DEV_INSTANCE). */
function runningNames(markedProcesses) {
  const names = new Set();
  for (const pid of markedProcesses()) {
    try {
      const entry = readFileSync(`/proc/${pid}/environ`, 'utf8')
        .split('\0')
        .find((e) => e.startsWith('LB_DEV_INSTANCE='));
      if (entry) names.add(entry.slice('LB_DEV_INSTANCE='.length));
    } catch {
      // gone meanwhile
    }
  }
  return [...names].sort();
}

/** The server URLs Traefik's API lists for lb-dev's service (sorted); none when it does not answer. */
async function traefikUrls(apiPort) {
  try {
    const res = await fetch(`http://127.0.0.1:${apiPort}/api/http/services/lb-dev@file`, { signal: AbortSignal.timeout(2_000) });
    if (res.status !== 200) return [];
    const body = await res.json();
    return (body.loadBalancer?.servers ?? []).map((s) => String(s.url).replace(/\/+$/, '')).sort();
  } catch {
    return [];
  }
}
