// lb-dev loads prom-client's four classes from their own files, not its index (which would
// also load OpenTelemetry's API, the cluster aggregator and the push gateway into `up`).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { test } from 'node:test';
import { ROOT } from '../../../helpers/lb-dev/index.js';

test('the metrics registry loads prom-client without its index, OpenTelemetry or the cluster aggregator', () => {
  const script = `
    import { createRequire } from 'node:module';
    const { createLbDevRegistry } = await import('./src/app/metrics/registry.ts');
    const none = () => undefined;
    const r = createLbDevRegistry({ instanceState: none, instanceInBalancer: none, requests: none, requestErrors: none, requestsWithoutBackend: none });
    r.restarts.inc({ group: 'app', name: 'app-1' });
    const text = await r.registry.metrics();
    const loaded = Object.keys(createRequire(import.meta.url).cache).map((f) => f.slice(f.indexOf('node_modules')));
    console.log(JSON.stringify({ loaded, text, contentType: r.registry.contentType }));`;
  const out = JSON.parse(execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: ROOT, encoding: 'utf8' }));
  const promClient = out.loaded.filter((f: string) => f.includes('prom-client'));
  assert.ok(promClient.some((f: string) => f.endsWith('lib/registry.js')), out.loaded.join('\n'));
  assert.ok(!promClient.some((f: string) => /prom-client[/\\]index\.js$|cluster\.js$|pushgateway\.js$|defaultMetrics\.js$/.test(f)), promClient.join('\n'));
  assert.ok(!out.loaded.some((f: string) => f.includes('@opentelemetry')), 'OpenTelemetry not loaded');
  assert.match(out.text, /^lb_dev_instance_restarts_total\{group="app",name="app-1"\} 1$/m);
  assert.match(out.contentType, /^text\/plain; version=0\.0\.4/);
});
