// `lb-dev up --traefik external` serves its metrics: the URL is printed and in `status`,
// a scrape over HTTP shows a real crash and the control requests `status` itself made, and
// shutdown frees the port. metrics.port false: no endpoint, metricsUrl null.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { portFree } from '../../../helpers/http.js';
import { FAST_GROUP, LbDevRun, cleanupAll, nodeFixture } from '../../../helpers/lb-dev/index.js';
import { parseExposition, seriesValue } from '../../../helpers/prometheus-text.js';

after(cleanupAll);

async function scrape(url: string) {
  const response = await fetch(url);
  assert.equal(response.status, 200);
  return parseExposition(await response.text());
}

test('up prints metricsUrl, lists it in status, and its series follow a real crash', async (t) => {
  const run = await LbDevRun.start({ groups: { app: { command: nodeFixture('http-ok.mjs'), instances: 2, ...FAST_GROUP } } });
  t.after(() => run.cleanup());
  const report = await run.waitAllReady(2);
  const url = report.metricsUrl;
  assert.ok(url, 'metricsUrl in status');
  assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
  assert.ok(run.output().includes(`metrics: ${url}`), `the URL is printed at start\n${run.tail()}`);
  assert.equal(report.prometheusUrl, null);
  const port = Number(new URL(url).port);
  assert.ok(!report.instances.some((i) => i.port === port), 'no instance got the metrics port');

  process.kill(run.instance(report, 'app-1').pid!, 'SIGKILL');
  await run.waitFor((r) => (run.instance(r, 'app-1').restarts === 1 && run.instance(r, 'app-1').state === 'ready' ? true : null), 'app-1 restarted and ready');
  const series = await scrape(url);
  assert.equal(seriesValue(series, 'lb_dev_instance_crash_exits_total', { group: 'app', name: 'app-1', code: '', signal: 'SIGKILL' }), 1);
  assert.equal(seriesValue(series, 'lb_dev_instance_restarts_total', { group: 'app', name: 'app-1' }), 1);
  assert.equal(seriesValue(series, 'lb_dev_instance_state', { group: 'app', name: 'app-2', state: 'ready' }), 1);
  assert.ok((seriesValue(series, 'lb_dev_control_requests_total', { method: 'status', outcome: 'ok' }) ?? 0) >= 2, 'the status polls were counted');
  assert.ok((seriesValue(series, 'lb_dev_route_writes_total') ?? 0) >= 3);

  run.signal('SIGINT');
  assert.deepEqual(await run.waitExit(), { code: 0, signal: null });
  assert.equal(await portFree(port), true, 'the metrics port is free after shutdown');
});

test('metrics.port false: no endpoint, metricsUrl null', async (t) => {
  const run = await LbDevRun.start({
    groups: { app: { command: nodeFixture('http-ok.mjs'), instances: 1, ...FAST_GROUP } },
    config: { metrics: { port: false } },
  });
  t.after(() => run.cleanup());
  const report = await run.waitAllReady(1);
  assert.equal(report.metricsUrl, null);
  assert.ok(!run.output().includes('metrics: http'));
});
