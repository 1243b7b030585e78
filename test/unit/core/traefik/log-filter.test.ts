import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { traefikLineMatters } from '../../../../src/core/traefik/log-filter.js';

// Real lines of Traefik v3.6.25 (log.format common, noColor), start-up to shutdown.
const rows: Array<[string, boolean]> = [
  ['2026-11-26T05:40:44Z WRN Traefik can reject some encoded characters in the request path. When your backend is not fully compliant with [RFC 3986](https://datatracker.ietf.org/doc/html/rfc3986), it is recommended to set these options to `false` to avoid split-view situation. Refer to the documentation for more details: https://doc.traefik.io/traefik/v3.6/migrate/v3/#encoded-characters-configuration-default-values', false],
  ["2026-11-26T05:40:44Z INF Traefik version v3.6.25 built on I don't remember exactly version=v3.6.25", false],
  ['2026-11-26T05:40:44Z INF Version check is enabled.', false],
  ['2026-11-26T05:40:44Z INF Traefik checks for new releases to notify you if your version is out of date.', false],
  ['2026-11-26T05:40:44Z INF It also collects usage data during this process.', false],
  ['2026-11-26T05:40:44Z INF Check the documentation to get more info: https://doc.traefik.io/traefik/contributing/data-collection/', false],
  ['2026-11-26T05:40:44Z INF ', false],
  ['Stats collection is disabled.', false],
  ['Help us improve Traefik by turning this feature on :)', false],
  ['More details on: https://doc.traefik.io/traefik/contributing/data-collection/', false],
  ['', false],
  ['2026-11-26T05:40:44Z INF Starting provider aggregator *aggregator.ProviderAggregator', false],
  ['2026-11-26T05:40:44Z INF Starting provider *file.Provider', false],
  ['2026-11-26T05:40:44Z ERR Error while building configuration (for the first time) error="/tmp/x/dyn/broken.yaml: yaml: line 1: did not find expected node content" providerName=file', true],
  ['2026-11-26T05:40:44Z INF Starting provider *traefik.Provider', false],
  ['2026-11-26T05:40:44Z INF Starting provider *acme.ChallengeTLSALPN', false],
  ['2026-11-26T05:40:45Z ERR Error appending dashboard to API router error="parsing index template: template: pattern matches no files: `index.html`"', false],
  ['2026-11-26T05:40:47Z INF I have to go...', false],
  ['2026-11-26T05:40:47Z INF Server stopped', false],
  // What matters: a port Traefik cannot bind, a rejected file, a crash.
  ['2026-11-26T05:41:02Z ERR Error while starting server error="listen tcp 127.0.0.1:3000: bind: address already in use" entryPointName=web', true],
  ['2026-11-26T05:41:02Z WRN A new release of Traefik has been found: 3.6.26. Please consider updating.', true],
  ['2026-11-26T05:41:02Z FTL Command error error="command traefik error: field not found, node: nope"', true],
  ['panic: runtime error: invalid memory address or nil pointer dereference', true],
  ['\u001b[90m2026-11-26T05:40:39Z\u001b[0m \u001b[33mWRN\u001b[0m \u001b[1mTraefik can reject some encoded characters in the request path.\u001b[0m', false],
  ['\u001b[90m2026-11-26T05:40:39Z\u001b[0m \u001b[31mERR\u001b[0m \u001b[1mError while building configuration\u001b[0m', true],
];

describe('traefikLineMatters', () => {
  for (const [line, shown] of rows) {
    it(`${shown ? 'shows' : 'hides'} ${JSON.stringify(line.slice(0, 70))}`, () => assert.equal(traefikLineMatters(line), shown));
  }
});
