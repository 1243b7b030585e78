// The original proposal (Rocket.Chat PR #36816, development/traefik-host-dev/) rebuilt on free
// ports: 3 instances started by hand on fixed ports, Traefik's file provider with a static
// list of the 3 servers, sticky cookie `rocketchat-server`, active health check /api/info every
// 30 s with a 5 s timeout, no retry, no passive health check, providersThrottleDuration left at
// its default (2 s). Nothing restarts a dead instance. The demo app stands in for Rocket.Chat.
// (The proposal's priority-2 /websocket router and its dashboard do not change HTTP failover
// and are left out.)
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { onCleanup } from './cleanup.mjs';
import { assertDemoRunning, spawnDemo } from './demo.mjs';
import { killAll } from './proc.mjs';
import { listedServers, spawnTraefik, staticYaml } from './traefik.mjs';
import { accepts, fatal, freePort, retryIfPortTaken, waitFor } from './util.mjs';

export const PROPOSAL_SERVICE = 'rocketchat@file';

const dynamicYaml = (ports) => `
http:
  routers:
    rocketchat:
      rule: "PathPrefix(\`/\`)"
      entryPoints: [web]
      service: rocketchat
  services:
    rocketchat:
      loadBalancer:
        sticky:
          cookie: { name: rocketchat-server }
        healthCheck: { path: /api/info, interval: 30s, timeout: 5s }
        servers:
${ports.map((p) => `          - url: "http://127.0.0.1:${p}"`).join('\n')}
`;

/**
 * Starts the 3 instances and Traefik; resolves once Traefik lists the 3 servers. Started again on
 * new ports if one was taken before Traefik or an instance bound it.
 */
export function startProposal(binary, count = 3) {
  return retryIfPortTaken('original proposal', () => startOnce(binary, count));
}

async function startOnce(binary, count) {
  const dir = mkdtempSync(join(tmpdir(), 'lb-dev-bench-proposal-'));
  const dynamicDir = join(dir, 'dynamic');
  mkdirSync(dynamicDir);
  const instances = [];
  let traefik = null;
  const stop = onCleanup(`original proposal (${dir})`, async () => {
    killAll([...instances.map((i) => i.pid), traefik?.child.pid].filter(Boolean));
    rmSync(dir, { recursive: true, force: true });
  });
  try {
    for (let i = 1; i <= count; i++) {
      instances.push(spawnDemo(await freePort(), `rocketchat-${i}`));
    }
    await waitFor('the 3 hand-started instances to listen', async () => {
      instances.forEach(assertDemoRunning);
      return (await Promise.all(instances.map((i) => accepts(i.port)))).every(Boolean);
    });
    writeFileSync(join(dynamicDir, 'rocketchat.yaml'), dynamicYaml(instances.map((i) => i.port)));
    // Traefik's ports last, just before it binds them: the shortest window for another process.
    const port = await freePort();
    const apiPort = await freePort();
    const configFile = join(dir, 'traefik.yaml');
    writeFileSync(configFile, staticYaml({ port, apiPort, dynamicDir }));
    traefik = spawnTraefik(binary, configFile);
    const apiUrl = `http://127.0.0.1:${apiPort}`;
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    await waitFor(
      'Traefik (original proposal) to list 3 servers',
      async () => {
        if (traefik.child.exitCode !== null) throw fatal('Traefik (original proposal) exited');
        return (await listedServers(agent, apiUrl, PROPOSAL_SERVICE)).length === count;
      },
      30_000,
    )
      .catch((error) => {
        throw new Error(`${error.message}\n${traefik.output()}`);
      })
      .finally(() => agent.destroy());
    return { url: `http://127.0.0.1:${port}`, apiUrl, instances, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
