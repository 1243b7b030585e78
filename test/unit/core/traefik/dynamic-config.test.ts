import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { parse } from 'yaml';
import type { BalancerConfig } from '../../../../src/core/config/types.js';
import {
  dynamicConfigText,
  pathPrefixRule,
  PLACEHOLDER_CERTIFICATE,
  renderDynamicConfig,
  serverUrl,
  type DynamicConfigOptions,
  type RouteServer,
} from '../../../../src/core/traefik/dynamic-config.js';
import type { DynamicConfiguration } from '../../../../src/core/traefik/dynamic-types.js';
import { LbDevError } from '../../../../src/core/errors.js';

const fullBalancer: BalancerConfig = {
  host: '127.0.0.1',
  port: 3000,
  stickyCookie: 'lb_dev_sticky',
  websocketPaths: ['/websocket', '/sockjs'],
  healthCheck: { path: '/api/info', intervalMs: 500, timeoutMs: 2000 },
  passiveHealthCheck: { failureWindowMs: 10000, maxFailedAttempts: 3 },
  retry: { attempts: 3, initialIntervalMs: 100 },
};
const bareBalancer: BalancerConfig = {
  ...fullBalancer,
  stickyCookie: null,
  websocketPaths: [],
  healthCheck: null,
  passiveHealthCheck: null,
  retry: null,
};

function opts(balancer: BalancerConfig, backendHost = '127.0.0.1'): DynamicConfigOptions {
  return { serviceName: 'lb-dev', entryPoint: 'web', backendHost, balancer };
}
const two: RouteServer[] = [
  { name: 'app-2', port: 4002 },
  { name: 'app-1', port: 4001 },
];

describe('serverUrl', () => {
  const cases: Array<[string, number, string]> = [
    ['127.0.0.1', 4001, 'http://127.0.0.1:4001'],
    ['host.docker.internal', 80, 'http://host.docker.internal:80'],
    ['::1', 4001, 'http://[::1]:4001'],
    ['[::1]', 4001, 'http://[::1]:4001'],
  ];
  for (const [host, port, expected] of cases) {
    it(`${host}:${port} -> ${expected}`, () => assert.equal(serverUrl(host, port), expected));
  }
  for (const bad of [0, 65536, 1.5, Number.NaN]) {
    it(`rejects port ${bad}`, () => assert.throws(() => serverUrl('127.0.0.1', bad), LbDevError));
  }
});

describe('pathPrefixRule', () => {
  it('joins the paths with ||', () => {
    assert.equal(pathPrefixRule(['/websocket', '/sockjs']), 'PathPrefix(`/websocket`) || PathPrefix(`/sockjs`)');
  });
  it('rejects a path without a leading slash or with a backtick', () => {
    assert.throws(() => pathPrefixRule(['websocket']), /starting with \//);
    assert.throws(() => pathPrefixRule(['/a`b']), /backticks/);
  });
});

describe('renderDynamicConfig', () => {
  it('renders every feature of a full balancer config', () => {
    assert.deepEqual(renderDynamicConfig(two, opts(fullBalancer)), {
      http: {
        routers: {
          'lb-dev': { rule: 'PathPrefix(`/`)', entryPoints: ['web'], service: 'lb-dev', middlewares: ['lb-dev-retry'] },
          'lb-dev-websocket': {
            rule: 'PathPrefix(`/websocket`) || PathPrefix(`/sockjs`)',
            entryPoints: ['web'],
            service: 'lb-dev',
            middlewares: ['lb-dev-retry'],
          },
        },
        services: {
          'lb-dev': {
            loadBalancer: {
              servers: [{ url: 'http://127.0.0.1:4001' }, { url: 'http://127.0.0.1:4002' }],
              sticky: { cookie: { name: 'lb_dev_sticky', httpOnly: true, sameSite: 'lax' } },
              healthCheck: { path: '/api/info', interval: '500ms', timeout: '2s', headers: { 'X-LB-Dev-Health': '1' } },
              passiveHealthCheck: { failureWindow: '10s', maxFailedAttempts: 3 },
            },
          },
        },
        middlewares: { 'lb-dev-retry': { retry: { attempts: 3, initialInterval: '100ms' } } },
      },
      tls: { stores: { default: { defaultCertificate: { certFile: PLACEHOLDER_CERTIFICATE.certFile, keyFile: PLACEHOLDER_CERTIFICATE.keyFile } } } },
    });
  });

  it('leaves out every optional part of a bare balancer config (no empty maps)', () => {
    assert.deepEqual(renderDynamicConfig(two, { ...opts(bareBalancer), defaultCertificate: false }), {
      http: {
        routers: { 'lb-dev': { rule: 'PathPrefix(`/`)', entryPoints: ['web'], service: 'lb-dev' } },
        services: { 'lb-dev': { loadBalancer: { servers: [{ url: 'http://127.0.0.1:4001' }, { url: 'http://127.0.0.1:4002' }] } } },
      },
    });
  });

  const table: Array<{ name: string; servers: RouteServer[]; backendHost: string; urls: string[] }> = [
    { name: 'no ready instance -> servers: []', servers: [], backendHost: '127.0.0.1', urls: [] },
    { name: 'one instance', servers: [{ name: 'app-1', port: 4001 }], backendHost: '127.0.0.1', urls: ['http://127.0.0.1:4001'] },
    {
      name: 'sorted by port whatever the input order',
      servers: [
        { name: 'app-3', port: 4010 },
        { name: 'app-1', port: 4001 },
        { name: 'app-2', port: 4005 },
      ],
      backendHost: '127.0.0.1',
      urls: ['http://127.0.0.1:4001', 'http://127.0.0.1:4005', 'http://127.0.0.1:4010'],
    },
    {
      name: 'bridge backend host',
      servers: [{ name: 'app-1', port: 4001 }],
      backendHost: 'host.docker.internal',
      urls: ['http://host.docker.internal:4001'],
    },
  ];
  for (const row of table) {
    it(row.name, () => {
      const config = renderDynamicConfig(row.servers, opts(fullBalancer, row.backendHost));
      assert.deepEqual(
        config.http?.services?.['lb-dev']?.loadBalancer?.servers?.map((s) => s.url),
        row.urls,
      );
    });
  }

  it('is the same for the same instances in another order', () => {
    const a = dynamicConfigText(renderDynamicConfig(two, opts(fullBalancer)));
    const b = dynamicConfigText(renderDynamicConfig([...two].reverse(), opts(fullBalancer)));
    assert.equal(a, b);
  });

  it('rejects two instances on one port', () => {
    assert.throws(
      () =>
        renderDynamicConfig(
          [
            { name: 'a', port: 1 },
            { name: 'b', port: 1 },
          ],
          opts(bareBalancer),
        ),
      /one server per port, got a and b both on port 1/,
    );
  });

  it('gives the default TLS store a certificate unless told not to (reloads then skip generating an RSA key)', () => {
    const withCert = renderDynamicConfig(two, opts(bareBalancer));
    assert.deepEqual(withCert.tls, { stores: { default: { defaultCertificate: { ...PLACEHOLDER_CERTIFICATE } } } });
    const without = renderDynamicConfig(two, { ...opts(bareBalancer), defaultCertificate: false });
    assert.equal(without.tls, undefined);
  });

  it('the placeholder certificate parses, matches its key, and stays valid past 2100', () => {
    const cert = new X509Certificate(PLACEHOLDER_CERTIFICATE.certFile);
    assert.ok(cert.checkPrivateKey(createPrivateKey(PLACEHOLDER_CERTIFICATE.keyFile)));
    assert.ok(new Date(cert.validTo).getUTCFullYear() > 2100, cert.validTo);
    assert.match(cert.subject, /not a secret/);
    // Traefik reads a FileOrContent value as a path only when such a file exists: a PEM never is one.
    assert.match(PLACEHOLDER_CERTIFICATE.certFile, /^-----BEGIN CERTIFICATE-----\n[\s\S]+\n-----END CERTIFICATE-----\n$/);
    assert.match(PLACEHOLDER_CERTIFICATE.keyFile, /^-----BEGIN PRIVATE KEY-----\n[\s\S]+\n-----END PRIVATE KEY-----\n$/);
  });

  it('names routers and middleware after the service', () => {
    const { http } = renderDynamicConfig(two, { ...opts(fullBalancer), serviceName: 'shop', entryPoint: 'edge' });
    assert.deepEqual(Object.keys(http?.routers ?? {}), ['shop', 'shop-websocket']);
    assert.deepEqual(Object.keys(http?.middlewares ?? {}), ['shop-retry']);
    for (const router of Object.values(http?.routers ?? {})) {
      assert.equal(router.service, 'shop');
      assert.deepEqual(router.entryPoints, ['edge']);
      assert.deepEqual(router.middlewares, ['shop-retry']);
    }
  });
});

describe('dynamicConfigText', () => {
  it('starts with the header and parses back to the same object', () => {
    const config = renderDynamicConfig(two, opts(fullBalancer));
    const text = dynamicConfigText(config);
    assert.match(text, /^# generated by lb-dev; do not edit\n/);
    assert.deepEqual(parse(text), config);
  });

  it('sorts keys so the text does not depend on construction order', () => {
    const text = dynamicConfigText({ http: { services: { s: { loadBalancer: { servers: [] } } }, routers: { r: { rule: 'x' } } } });
    assert.ok(text.indexOf('"routers":') < text.indexOf('"services":'));
  });

  it('writes the PEM blocks so that they parse back byte for byte', () => {
    const text = dynamicConfigText(renderDynamicConfig(two, opts(fullBalancer)));
    const back = parse(text) as { tls: { stores: { default: { defaultCertificate: { certFile: string; keyFile: string } } } } };
    assert.deepEqual(back.tls.stores.default.defaultCertificate, { ...PLACEHOLDER_CERTIFICATE });
  });

  it('keeps an empty server list (Traefik answers 503)', () => {
    const text = dynamicConfigText(renderDynamicConfig([], opts(bareBalancer)));
    assert.match(text, /"servers": \[\]/);
    assert.doesNotMatch(text, /\{\}/);
  });

  const emptyMaps: Array<[string, DynamicConfiguration, RegExp]> = [
    ['root', {}, /\(root\)/],
    ['http', { http: {} }, /at http$/],
    ['routers', { http: { routers: {}, services: { s: { loadBalancer: { servers: [] } } } } }, /at http\.routers$/],
    ['loadBalancer', { http: { services: { s: { loadBalancer: {} } } } }, /at http\.services\.s\.loadBalancer$/],
    ['inside a list', { http: { services: { s: { loadBalancer: { servers: [{}] } } } } }, /servers\[0\]$/],
  ];
  for (const [name, config, message] of emptyMaps) {
    it(`refuses an empty map (${name})`, () => assert.throws(() => dynamicConfigText(config), message));
  }

  it('refuses "{{" (Go templates)', () => {
    const config = renderDynamicConfig(two, opts({ ...fullBalancer, stickyCookie: 'a{{b' }));
    assert.throws(() => dynamicConfigText(config), /Go templates/);
  });

  it('never emits "{{" or "{}" for the configs lb-dev renders', () => {
    for (const balancer of [fullBalancer, bareBalancer]) {
      for (const servers of [[], two]) {
        const text = dynamicConfigText(renderDynamicConfig(servers, opts(balancer)));
        assert.doesNotMatch(text, /\{\{|\{\}/);
      }
    }
  });
});
