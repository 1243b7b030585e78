import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { traefikConsoleFilter } from '../../../../src/core/traefik/log-filter.js';

// Real output of Traefik v3.6.25 (log.format common, noColor) as `lb-dev up` ran it, start-up to
// shutdown, with the lines the `up` pane shows marked true. Order matters: the notices are one
// INF message over several lines.
const startToEnd: Array<[string, boolean]> = [
  [
    '2026-11-26T06:05:32Z WRN Traefik can reject some encoded characters in the request path. When your backend is not fully compliant with [RFC 3986](https://datatracker.ietf.org/doc/html/rfc3986), it is recommended to set these options to `false` to avoid split-view situation. Refer to the documentation for more details: https://doc.traefik.io/traefik/v3.6/migrate/v3/#encoded-characters-configuration-default-values',
    false,
  ],
  ["2026-11-26T06:05:32Z INF Traefik version v3.6.25 built on I don't remember exactly version=v3.6.25", false],
  ['2026-11-26T06:05:32Z INF ', false],
  ['Version check is disabled.', false],
  ['You will not be notified if a new version is available.', false],
  ['More details: https://doc.traefik.io/traefik/contributing/data-collection/', false],
  ['', false],
  ['2026-11-26T06:05:32Z INF ', false],
  ['Stats collection is disabled.', false],
  ['Help us improve Traefik by turning this feature on :)', false],
  ['More details on: https://doc.traefik.io/traefik/contributing/data-collection/', false],
  ['', false],
  ['2026-11-26T06:05:32Z INF Starting provider aggregator *aggregator.ProviderAggregator', false],
  ['2026-11-26T06:05:32Z INF Starting provider *file.Provider', false],
  [
    '2026-11-26T05:40:44Z ERR Error while building configuration (for the first time) error="/x/dynamic/broken.yaml: yaml: line 1: did not find expected node content" providerName=file',
    true,
  ],
  ['2026-11-26T06:05:32Z INF Starting provider *traefik.Provider', false],
  ['2026-11-26T06:05:32Z INF Starting provider *acme.ChallengeTLSALPN', false],
  ['2026-11-26T05:40:45Z ERR Error appending dashboard to API router error="parsing index template: template: pattern matches no files: `index.html`"', false],
  ['2026-11-26T06:05:36Z INF I have to go...', false],
  ['2026-11-26T06:05:36Z INF Stopping server gracefully', false],
  ['2026-11-26T06:05:36Z INF Server stopped', false],
];

// Lines that matter, each after some chatter.
const matters: string[] = [
  '2026-11-26T05:41:02Z ERR Error while starting server error="listen tcp 127.0.0.1:3000: bind: address already in use" entryPointName=web',
  '2026-11-26T05:41:02Z WRN A new release of Traefik has been found: 3.6.26. Please consider updating.',
  '2026-11-26T05:41:02Z FTL Command error error="command traefik error: field not found, node: nope"',
  'panic: runtime error: invalid memory address or nil pointer dereference',
  '\u001b[90m2026-11-26T05:40:39Z\u001b[0m \u001b[31mERR\u001b[0m \u001b[1mError while building configuration\u001b[0m',
];

describe('traefikConsoleFilter', () => {
  it('hides the start-up and shutdown chatter, shows a rejected file', () => {
    const shows = traefikConsoleFilter();
    for (const [line, shown] of startToEnd) assert.equal(shows(line), shown, JSON.stringify(line.slice(0, 80)));
  });
  for (const line of matters) {
    it(`shows ${JSON.stringify(line.slice(0, 70))}`, () => {
      const shows = traefikConsoleFilter();
      shows('2026-11-26T06:05:32Z INF Starting provider *file.Provider');
      assert.equal(shows(line), true);
    });
  }
  it('a coloured line is judged like a plain one; continuation lines follow the line they continue', () => {
    const shows = traefikConsoleFilter();
    assert.equal(
      shows('\u001b[90m2026-11-26T05:40:39Z\u001b[0m \u001b[33mWRN\u001b[0m \u001b[1mTraefik can reject some encoded characters in the request path.\u001b[0m'),
      false,
    );
    assert.equal(shows('2026-11-26T05:41:02Z ERR first line of an error'), true);
    assert.equal(shows('  its second line'), true);
    assert.equal(shows('2026-11-26T05:41:02Z INF back to chatter'), false);
    assert.equal(shows('goroutine 1 [running]:'), true);
  });
});
