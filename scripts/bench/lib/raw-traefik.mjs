// Raw Traefik: the yardstick for the balancer's own cost. The same Traefik binary in front of 3
// demo instances started by hand, with nothing but a router and a round-robin service: no
// middlewares, no sticky cookie, no health checks, no access log, no metrics. The instances'
// per-request lines go to a file, as a shell's `> app.log` would: the same work lb-dev's
// instances do when lb-dev captures their output.
import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { onCleanup } from './cleanup.mjs';
import { assertDemoRunning, spawnDemo } from './demo.mjs';
import { killAll } from './proc.mjs';
import { listedServers, spawnTraefik, staticYaml } from './traefik.mjs';
import { accepts, fatal, freePort, retryIfPortTaken, waitFor } from './util.mjs';

const dynamicYaml = (ports) => `
http:
  routers:
    raw: { rule: "PathPrefix(\`/\`)", entryPoints: [web], service: raw }
  services:
    raw:
      loadBalancer:
        servers:
${ports.map((p) => `          - url: "http://127.0.0.1:${p}"`).join('\n')}
`;

/** `count` demo instances (or 0: `direct` gives one instance and no Traefik). Resolves { url, stop }. */
export function startRaw(binary, count) {
  return retryIfPortTaken('raw Traefik', () => startOnce(binary, count));
}

async function startOnce(binary, count) {
  const dir = mkdtempSync(join(tmpdir(), 'lb-dev-bench-raw-'));
  const dynamicDir = join(dir, 'dynamic');
  mkdirSync(dynamicDir);
  const output = openSync(join(dir, 'instances.log'), 'a');
  const instances = [];
  let traefik = null;
  const stop = onCleanup(`raw Traefik (${dir})`, async () => {
    killAll([...instances.map((i) => i.pid), traefik?.child.pid].filter(Boolean));
    closeSync(output);
    rmSync(dir, { recursive: true, force: true });
  });
  try {
    for (let i = 1; i <= Math.max(count, 1); i++) instances.push(spawnDemo(await freePort(), `raw-${i}`, { stdout: output }));
    await waitFor("the raw setup's instances to listen", async () => {
      instances.forEach(assertDemoRunning);
      return (await Promise.all(instances.map((i) => accepts(i.port)))).every(Boolean);
    });
    if (count === 0) return { url: `http://127.0.0.1:${instances[0].port}`, stop };
    writeFileSync(join(dynamicDir, 'raw.yaml'), dynamicYaml(instances.map((i) => i.port)));
    const port = await freePort();
    const apiPort = await freePort();
    const configFile = join(dir, 'traefik.yaml');
    writeFileSync(configFile, staticYaml({ port, apiPort, dynamicDir }));
    traefik = spawnTraefik(binary, configFile);
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    await waitFor(`raw Traefik to list ${count} servers`, async () => {
      if (traefik.child.exitCode !== null) throw fatal(`raw Traefik exited:\n${traefik.output()}`);
      return (await listedServers(agent, `http://127.0.0.1:${apiPort}`, 'raw@file')).length === count;
    }).finally(() => agent.destroy());
    return { url: `http://127.0.0.1:${port}`, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
