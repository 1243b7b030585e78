// lb-dev loads prom-client through its public index (which also loads OpenTelemetry's API, the
// cluster aggregator and the push gateway: ~3.7 MB, see registry.ts), keeps its metrics out of
// prom-client's global registry, and exposes exactly the catalog's metrics. Runs in a child
// process of its own, so that what is loaded is the registry's doing alone.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { test } from 'node:test';
import { METRICS } from '../../../../src/core/metrics/catalog.js';
import { ROOT } from '../../../helpers/lb-dev/index.js';

interface ChildReport {
  loaded: string[];
  text: string;
  contentType: string;
  globalMetrics: number;
}

function exposeInChild(): ChildReport {
  const script = `
    import { createRequire } from 'node:module';
    const { createLbDevRegistry } = await import('./src/app/metrics/registry.ts');
    const none = () => undefined;
    const r = createLbDevRegistry({ instanceState: none, instanceInBalancer: none, requests: none, requestErrors: none, requestsWithoutBackend: none });
    r.restarts.inc({ group: 'app', name: 'app-1' });
    r.readySeconds.observe({ group: 'app' }, 0.3);
    const text = await r.registry.metrics();
    const require = createRequire(import.meta.url);
    const loaded = Object.keys(require.cache).map((f) => f.slice(f.indexOf('node_modules')));
    const globalMetrics = require('prom-client').register.getMetricsAsArray().length;
    console.log(JSON.stringify({ loaded, text, contentType: r.registry.contentType, globalMetrics }));`;
  return JSON.parse(execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: ROOT, encoding: 'utf8' }));
}

test("the metrics registry uses prom-client's public index and exposes the catalog unchanged", () => {
  const out = exposeInChild();
  const promClient = out.loaded.filter((f) => /prom-client[/\\]/.test(f));
  assert.ok(
    promClient.some((f) => /prom-client[/\\]index\.js$/.test(f)),
    `prom-client's index loaded:\n${promClient.join('\n')}`,
  );
  assert.equal(out.globalMetrics, 0, "nothing in prom-client's global registry");

  // Every metric of the table, in its order, with its help and kind, and nothing else.
  const headers = out.text.split('\n').filter((line) => line.startsWith('# '));
  const expected = Object.values(METRICS).flatMap((m) => [`# HELP ${m.name} ${m.help}`, `# TYPE ${m.name} ${m.kind}`]);
  assert.deepEqual(headers, expected);
  const samples = out.text.split('\n').filter((line) => line !== '' && !line.startsWith('# '));
  assert.ok(
    samples.every((line) => line.startsWith('lb_dev_')),
    samples.join('\n'),
  );
  assert.match(out.text, /^lb_dev_instance_restarts_total\{group="app",name="app-1"\} 1$/m);
  assert.match(out.text, /^lb_dev_instance_ready_seconds_bucket\{le="0\.25",group="app"\} 0\n/m);
  assert.match(out.text, /^lb_dev_instance_ready_seconds_bucket\{le="0\.5",group="app"\} 1\n/m);
  assert.match(out.text, /^lb_dev_instance_ready_seconds_sum\{group="app"\} 0\.3\nlb_dev_instance_ready_seconds_count\{group="app"\} 1$/m);
  assert.match(out.contentType, /^text\/plain; version=0\.0\.4/);
});
