/**
 * Traefik's dashboard through `lb-dev up` in docker mode: /dashboard/ on the Traefik API port
 * serves the real web UI (the index page and the script it loads), not the placeholder a Go
 * build of the module embeds when its webui/ was not built (docs/traefik-image.md).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { e2eGate } from '../helpers/e2e-gate.js';
import { Workspace, demoGroups, startAndWaitReady } from '../helpers/lb-dev/index.js';

const gate = await e2eGate();

const TEST_TIMEOUT_MS = 180_000;

describe('lb-dev up --traefik docker: the Traefik dashboard', { skip: gate.skip || false, timeout: 400_000 }, () => {
  let ws: Workspace | undefined;

  before(async () => {
    ws = await Workspace.create({ groups: demoGroups(1), config: { traefik: { mode: 'docker' } } });
  });

  after(async () => {
    await ws?.cleanup();
  });

  it('/dashboard/ answers the web UI, and the script it loads answers too', { timeout: TEST_TIMEOUT_MS }, async (t) => {
    const started = await startAndWaitReady(t, ws!, 1, 'docker');
    assert.equal(started.report.traefik.mode, 'docker');

    const page = await fetch(`${ws!.apiUrl}/dashboard/`, { signal: AbortSignal.timeout(5_000) });
    const html = await page.text();
    assert.equal(page.status, 200, `GET /dashboard/: ${page.status} ${html.slice(0, 300)}`);
    assert.match(page.headers.get('content-type') ?? '', /^text\/html/);
    assert.match(html, /<title>Traefik Proxy<\/title>/, `expected the web UI's index page, got ${html.slice(0, 300)}`);
    // Traefik fills in where the UI finds the API.
    assert.match(html, /window\.APIUrl = "\\?\/api\\?\/"/);

    const scripts = [...html.matchAll(/<script[^>]*\ssrc="([^"]+)"/g)].map((m) => m[1]!);
    assert.ok(scripts.length > 0, `expected a script tag with src in /dashboard/, got ${html}`);
    for (const src of scripts) {
      const url = new URL(src, `${ws!.apiUrl}/dashboard/`);
      const asset = await fetch(url, { signal: AbortSignal.timeout(5_000) });
      const body = await asset.text();
      assert.equal(asset.status, 200, `GET ${url.pathname}: ${asset.status}`);
      assert.match(asset.headers.get('content-type') ?? '', /javascript/, `GET ${url.pathname}: content-type`);
      assert.ok(body.length > 10_000, `expected the bundled UI at ${url.pathname}, got ${body.length} bytes`);
      t.diagnostic(`dashboard script ${url.pathname}: ${body.length} bytes`);
    }
  });
});
