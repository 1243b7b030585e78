import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { dashboardMissingText, missingDashboardReason, probeTraefikDashboard } from '../../../../src/adapters/traefik/dashboard-probe.js';

const cleanups: Array<() => Promise<unknown>> = [];
after(() => Promise.all(cleanups.map((c) => c())));

/** A real HTTP server answering /dashboard/ as Traefik would, with or without its web UI. */
async function traefikLike(status: number, body: string): Promise<string> {
  const server: Server = createServer((request, response) => {
    response.statusCode = request.url === '/dashboard/' ? status : 404;
    response.end(request.url === '/dashboard/' ? body : '404 page not found\n');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => new Promise((resolve) => server.close(resolve)));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('probeTraefikDashboard', () => {
  it('a page with the bundle is the web UI; a 500 (the failed-webui build), a page without a script or no answer is not', async () => {
    assert.deepEqual(await probeTraefikDashboard(await traefikLike(200, '<html><script type="module" src="/dashboard/assets/index.js"></script>')), {
      served: true,
    });
    assert.deepEqual(await probeTraefikDashboard(await traefikLike(500, 'Internal Server Error')), { served: false, answer: 'HTTP 500' });
    assert.deepEqual(await probeTraefikDashboard(await traefikLike(200, 'For more information see webui/readme.md')), {
      served: false,
      answer: 'HTTP 200 without the web UI',
    });
    const closed = await traefikLike(200, '');
    await cleanups.pop()!();
    const none = await probeTraefikDashboard(closed, 1_000);
    assert.equal(none.served, false);
    assert.match(none.served ? '' : none.answer, /^no answer/);
  });
});

describe('missingDashboardReason', () => {
  it('reads the reason a source build recorded beside the binary; nothing for a build with its dashboard or without a record', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'lbdt-dash-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const without = join(dir, 'without', 'traefik');
    const withUi = join(dir, 'with', 'traefik');
    const record = (dashboard: boolean, webui: string) => JSON.stringify({ version: 'v3.6.25', go: '1.26', dashboard, webui, builtAt: '' });
    await Promise.all([mkdir(join(dir, 'without')), mkdir(join(dir, 'with'))]);
    await writeFile(`${without}.build.json`, record(false, 'yarn install --immutable exited with code 1: HTTP 400'));
    await writeFile(`${withUi}.build.json`, record(true, 'built with packages from its lockfile'));
    assert.equal(await missingDashboardReason(without), 'yarn install --immutable exited with code 1: HTTP 400');
    assert.equal(await missingDashboardReason(withUi), null);
    assert.equal(await missingDashboardReason(join(dir, 'unrecorded')), null);
    assert.equal(await missingDashboardReason(undefined), null);
  });
});

describe('dashboardMissingText', () => {
  it('says what answered, why, that routes are fine, and what to do', () => {
    const text = dashboardMissingText('http://127.0.0.1:8080', 'HTTP 500', 'yarn build failed', '/c/traefik');
    assert.match(text, /http:\/\/127\.0\.0\.1:8080\/dashboard\/ answered HTTP 500/);
    assert.match(text, /built without its web UI: yarn build failed/);
    assert.match(text, /routes and the API are unaffected/);
    assert.match(text, /remove \/c\/traefik and run scripts\/provide-traefik\.sh --binary/);
  });
});
