/**
 * The dashboard in a real browser (Debian's chromium through playwright-core) against a real
 * `up` with Traefik in Docker: the page lists the instances, a kill from the page shows the
 * crash and the recovery, the log pane follows, the sticky panel names this browser's
 * instance, and a request without the token is refused.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { type Browser, chromiumGate, launchChromium } from '../helpers/browser.js';
import { e2eGate } from '../helpers/e2e-gate.js';
import { FAST_GROUP, LbDevRun, cleanupAll, demoGroups } from '../helpers/lb-dev/index.js';

const gate = await e2eGate();
const browserGate = chromiumGate();
const skip = gate.skip || browserGate.skip || false;

describe('the dashboard in chromium', { skip, timeout: 240_000 }, () => {
  let run: LbDevRun;
  let browser: Browser;
  let page: Page;
  let dashboardUrl: string;
  const row = (name: string) => page.locator(`#instances tr[data-instance="${name}"]`);
  const events = (kind: string, instance?: string) => `#timeline li[data-kind="${kind}"]${instance ? `[data-instance="${instance}"]` : ''}`;
  /** Waits for more than `count` timeline entries matching `selector` (the timeline keeps the older ones). */
  const moreThan = (selector: string, count: number, timeout = 30_000) => page.locator(selector).nth(count).waitFor({ timeout });

  before(async () => {
    run = await LbDevRun.start({
      groups: demoGroups(3, { ...FAST_GROUP, readiness: { ...FAST_GROUP.readiness, http: { path: '/api/info', interval: '100ms', timeout: '500ms' } } }),
      config: { traefik: { mode: 'docker' } },
    });
    const report = await run.waitAllConfirmed(3);
    assert.ok(report.dashboardUrl, 'status --json names the dashboard');
    dashboardUrl = report.dashboardUrl;
    assert.match(run.tail(), new RegExp(`dashboard: ${dashboardUrl.replace(/[?.]/g, '\\$&')}`), 'up printed the URL');
    browser = await launchChromium();
    page = await browser.context.newPage();
    await page.goto(dashboardUrl);
  });

  after(async () => {
    await browser?.close();
    await cleanupAll();
  });

  it('lists every instance, ready and in the balancer', async () => {
    for (const name of ['app-1', 'app-2', 'app-3']) {
      await row(name).and(page.locator('[data-state="ready"]')).waitFor();
      assert.equal(await row(name).locator('td.balancer').textContent(), 'in');
    }
    assert.equal(await page.locator('#connection').textContent(), 'live');
  });

  it('a kill from the page shows the crash and the recovery in the timeline and the row', async (t) => {
    const before = run.instance(await run.status(), 'app-2');
    const [crashed, restarted, ready, confirmed] = (await Promise.all(
      [events('crashed', 'app-2'), events('restarted', 'app-2'), events('ready', 'app-2'), events('routes-confirmed')].map((selector) =>
        page.locator(selector).count(),
      ),
    )) as [number, number, number, number];
    const started = Date.now();
    await row('app-2').locator('select.signal').selectOption('SIGKILL');
    await row('app-2').locator('button.kill').click();
    await moreThan(events('crashed', 'app-2'), crashed, 10_000);
    t.diagnostic(`click -> crash in the timeline: ${Date.now() - started} ms`);
    await page.locator('#result', { hasText: /kill app-2: .*SIGKILL/ }).waitFor();
    await moreThan(events('restarted', 'app-2'), restarted);
    await moreThan(events('ready', 'app-2'), ready);
    await moreThan(events('routes-confirmed'), confirmed);
    await row('app-2').and(page.locator('[data-state="ready"]')).waitFor();
    assert.equal(await row('app-2').locator('td.restarts').textContent(), String(before.restarts + 1));
    assert.equal(await row('app-2').locator('td.last-exit').textContent(), 'SIGKILL');
    assert.notEqual(await row('app-2').locator('td.pid').textContent(), String(before.pid));
    t.diagnostic(`click -> back ready on the page: ${Date.now() - started} ms`);
  });

  it('the log pane follows the instance it shows', async () => {
    await row('app-3').locator('button.logs').click();
    await page.locator('#log-source', { hasText: 'app-3' }).waitFor();
    await page.locator('#log-lines div', { hasText: 'ready after' }).first().waitFor();
    // A line written after the pane opened: the restart's own log lines.
    await row('app-3').locator('button.restart').click();
    await page.locator('#log-lines div.event', { hasText: 'restart requested' }).waitFor({ timeout: 10_000 });
    await page.locator('#log-lines div', { hasText: 'ready after' }).nth(1).waitFor({ timeout: 30_000 });
  });

  it('names the instance this browser is pinned to, and drops the cookie', async () => {
    const balancer = await browser.context.newPage();
    const answer = await balancer.goto(`${run.ws.balancerUrl}/api/info`);
    const served = ((await answer!.json()) as { instance: string }).instance;
    await balancer.close();
    await page.locator('#sticky-refresh').click();
    await page.locator('#sticky-text', { hasText: `This browser is on ${served}.` }).waitFor();
    await page.locator('#sticky-drop').click();
    await page.locator('#sticky-text', { hasText: 'no lb-dev-server cookie' }).waitFor();
    const cookies = await browser.context.cookies(run.ws.balancerUrl);
    assert.deepEqual(
      cookies.filter((c) => c.name === 'lb-dev-server'),
      [],
      'the cookie is gone for the balancer too',
    );
  });

  it('refuses a request without the token, from the page and from outside', async () => {
    const fromPage = await page.evaluate(async () => {
      const res = await fetch('/api/kill', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ instance: 'app-1' }) });
      return { status: res.status, body: (await res.json()) as { error: { code: string } } };
    });
    assert.equal(fromPage.status, 403);
    assert.equal(fromPage.body.error.code, 'DASHBOARD_FORBIDDEN');
    const origin = new URL(dashboardUrl).origin;
    const wrong = await fetch(`${origin}/api/kill`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-lb-dev-token': 'guess' },
      body: '{"instance":"app-1"}',
    });
    assert.equal(wrong.status, 403);
    assert.equal(((await wrong.json()) as { error: { code: string } }).error.code, 'DASHBOARD_FORBIDDEN');
    const report = await run.status();
    assert.ok(
      report.instances.every((i) => i.state === 'ready'),
      'nothing was killed',
    );
  });
});
