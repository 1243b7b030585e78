// Start-up: `lb-dev up` (Traefik binary, demo app) -> every instance ready and listed in
// Traefik's API, for 3 and 10 instances, minus the app's own start time (the same number of
// demo processes started at once by hand until each answers /api/info). And the cost of one
// route change: rendering the dynamic config and writing it atomically, for 10/100/1000 servers.
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { assertDemoRunning, spawnDemo } from '../lib/demo.mjs';
import { get } from '../lib/http-load.mjs';
import { startUntil } from '../lib/lbdev.mjs';
import { killAll } from '../lib/proc.mjs';
import { listedServers } from '../lib/traefik.mjs';
import { ROOT, fatal, freePort, median, round, waitFor } from '../lib/util.mjs';

/** ms from spawning n demo processes at once until each answers /api/info. */
async function appStartMs(n) {
  const agent = new http.Agent({ keepAlive: false });
  const ports = await Promise.all(Array.from({ length: n }, freePort));
  const t0 = performance.now();
  const demos = ports.map((port, i) => spawnDemo(port, `demo-${i + 1}`));
  try {
    await Promise.all(
      demos.map((demo) =>
        waitFor(
          `${demo.name} to answer`,
          async () => {
            assertDemoRunning(demo);
            return (await get(agent, `http://127.0.0.1:${demo.port}/api/info`)).status === 200;
          },
          30_000,
          5,
        ),
      ),
    );
    return performance.now() - t0;
  } finally {
    killAll(demos.map((d) => d.pid));
    agent.destroy();
  }
}

async function upToRoutedMs(n, binary) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  try {
    // Timed from the spawn of the `up` that succeeded (one started again on new ports is not counted).
    const { lb, value: ms } = await startUntil(
      { config: { instances: n, readiness: { http: { path: '/api/info' } } }, traefik: { mode: 'binary', binary }, label: `lb-dev up (start-up ${n})` },
      async (started) => {
        await waitFor(
          `Traefik to list ${n} servers`,
          async () => {
            if (started.up.exitCode !== null) throw fatal('lb-dev up exited');
            return (await listedServers(agent, started.apiUrl, 'lb-dev@file')).length === n;
          },
          120_000,
          10,
        ).catch((error) => {
          throw new Error(`${error.message}\n${started.output().slice(-2000)}`);
        });
        return performance.now() - started.spawnedAt;
      },
    );
    await lb.stop();
    return ms;
  } finally {
    agent.destroy();
  }
}

async function renderCost(iterations) {
  const dist = (path) => import(pathToFileURL(join(ROOT, 'dist', path)).href);
  const { renderDynamicConfig, dynamicConfigText } = await dist('core/traefik/dynamic-config.js');
  const { DynamicConfigWriter } = await dist('adapters/traefik/config-writer.js');
  const { resolveConfig } = await dist('core/config/schema.js');
  const { balancer } = resolveConfig({}, { source: null, overrides: {}, cwd: ROOT, demoCommand: 'node demo.js' });
  const opts = { serviceName: 'lb-dev', entryPoint: 'web', backendHost: '127.0.0.1', balancer };
  const dir = mkdtempSync(join(tmpdir(), 'lb-dev-bench-render-'));
  const writer = new DynamicConfigWriter({ dir: join(dir, 'dynamic'), fileName: 'lb-dev.yaml', tmpDir: join(dir, 'tmp') });
  const rows = [];
  try {
    for (const n of [10, 100, 1000]) {
      const render = [];
      const write = [];
      for (let k = 0; k < iterations; k++) {
        // A different set each time (one server fewer on odd rounds), so every write changes the file.
        const servers = Array.from({ length: n - (k % 2) }, (_, i) => ({ name: `app-${i + 1}`, port: 20_000 + i }));
        const t0 = performance.now();
        const text = dynamicConfigText(renderDynamicConfig(servers, opts));
        const t1 = performance.now();
        await writer.write(text);
        render.push(t1 - t0);
        write.push(performance.now() - t1);
      }
      rows.push({ servers: n, renderMs: round(median(render), 2), writeMs: round(median(write), 2) });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return { iterations, rows };
}

export async function startup({ quick, binary, log }) {
  const rows = [];
  for (const n of [3, 10]) {
    const upMs = await upToRoutedMs(n, binary);
    const appMs = await appStartMs(n);
    rows.push({ instances: n, upMs: Math.round(upMs), appMs: Math.round(appMs), overheadMs: Math.round(upMs - appMs) });
    log(`start-up ${n}: up -> routed ${Math.round(upMs)} ms, the app alone ${Math.round(appMs)} ms`);
  }
  const render = await renderCost(quick ? 5 : 50);
  for (const r of render.rows) log(`render ${r.servers} servers: ${r.renderMs} ms, write ${r.writeMs} ms`);
  return { rows, render };
}
