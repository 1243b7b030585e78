#!/usr/bin/env node
// Writes docs/dashboard.png: the dashboard during a chaos run, as a real browser shows it.
// Runs the built CLI (`npm run build` first): `lb-dev up` with 4 demo instances behind Traefik
// (docker by default; `--traefik binary` for a local traefik), some load through the balancer,
// chaos switched on from the page, and Debian's chromium (/usr/bin/chromium) headless.
//
//   node scripts/screenshot-dashboard.mjs [--traefik docker|binary] [--out docs/dashboard.png]
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';
import { ControlClient } from '../dist/control/client.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { values: flags } = parseArgs({
  options: { traefik: { type: 'string', default: 'docker' }, out: { type: 'string', default: join(root, 'docs', 'dashboard.png') } },
});
const CHROMIUM = process.env.LB_DEV_CHROMIUM || '/usr/bin/chromium';

const freePort = () =>
  new Promise((resolve, reject) => {
    const server = createServer()
      .once('error', reject)
      .listen(0, '127.0.0.1', () => {
        const { port } = server.address();
        server.close(() => resolve(port));
      });
  });

async function until(what, check, timeoutMs = 90_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check().catch(() => null);
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

const dir = await mkdtemp(join(tmpdir(), 'lb-dev-screenshot-'));
const [port, apiPort, dashboardPort] = [await freePort(), await freePort(), await freePort()];
const config = join(dir, 'lb-dev.config.yaml');
await writeFile(
  config,
  [
    `stateDir: ${join(dir, 'state')}`,
    `balancer: { port: ${port} }`,
    `traefik: { mode: ${flags.traefik}, apiPort: ${apiPort} }`,
    `dashboard: { port: ${dashboardPort} }`,
    'instances: 4',
    'readiness: { http: { path: /api/info, interval: 200ms } }',
    'restart: { initialDelay: 300ms, maxDelay: 2s }',
    'stopGracePeriod: 1s',
  ].join('\n'),
);

const up = spawn(process.execPath, [join(root, 'dist', 'cli', 'main.js'), 'up', '--config', config], {
  cwd: root,
  stdio: ['ignore', 'pipe', 'pipe'],
  env: { ...process.env, NO_COLOR: '1' },
});
let output = '';
up.stdout.on('data', (c) => {
  output += c;
});
up.stderr.on('data', (c) => {
  output += c;
});
const exited = new Promise((resolve) => up.once('exit', resolve));
let browser = null;
let loading = true;
try {
  const client = await until('the control socket', () => ControlClient.connect(join(dir, 'state', 'lb-dev.sock'), join(dir, 'state')));
  const report = await until('4 ready instances', async () => {
    const status = await client.call('status');
    return status.instances.filter((i) => i.state === 'ready').length === 4 && status.routes.confirmed ? status : null;
  });
  client.close();
  // Some traffic, for the request rates and sparklines.
  const load = (async () => {
    while (loading)
      await fetch(`${report.url}/api/info`)
        .then((r) => r.arrayBuffer())
        .catch(() => undefined);
  })();
  const context = await chromium.launchPersistentContext(join(dir, 'chromium'), {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1400, height: 1000 },
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  browser = context;
  const page = await context.newPage();
  await (await context.newPage()).goto(`${report.url}/api/info`); // a sticky cookie for the "which instance" panel
  await page.goto(report.dashboardUrl);
  await page.locator('#instances tr[data-state="ready"]').nth(3).waitFor();
  await page.fill('#chaos-interval', '2');
  await page.fill('#chaos-keep', '2');
  await page.click('#chaos-toggle');
  // Three kills, and the latest victim back in the log pane.
  await page.locator('#timeline li[data-kind="chaos"]', { hasText: 'chaos killed' }).nth(2).waitFor({ timeout: 60_000 });
  const victim = await page.locator('#timeline li[data-kind="chaos"]', { hasText: 'chaos killed' }).first().getAttribute('data-instance');
  await page.locator(`#instances tr[data-instance="${victim}"] button.logs`).click();
  await page.locator('#log-lines div').nth(10).waitFor({ timeout: 30_000 });
  await page.click('#sticky-refresh');
  await page.locator('#sticky-text', { hasText: 'This browser is on' }).waitFor();
  await page.screenshot({ path: flags.out, fullPage: true });
  console.log(`wrote ${flags.out}`);
  await page.click('#chaos-toggle');
  loading = false;
  await load;
} catch (error) {
  console.error(`screenshot failed: ${error.message}\n--- lb-dev up ---\n${output.slice(-4000)}`);
  process.exitCode = 1;
} finally {
  loading = false;
  await browser?.close().catch(() => undefined);
  if (up.exitCode === null) up.kill('SIGINT');
  await exited;
  await rm(dir, { recursive: true, force: true });
}
