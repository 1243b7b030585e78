import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { loadConfig, parseConfigText } from '../../../src/adapters/config-file.js';
import type { Fields } from '../../../src/core/config/fields.js';
import { TOP_FIELDS } from '../../../src/core/config/keys.js';
import { CONFIG_DEFAULTS, resolveConfig } from '../../../src/core/config/schema.js';
import { LbDevError, type ErrorCode } from '../../../src/core/errors.js';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const DEMO = 'node demo.js';

let dir: string;
before(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'lb-dev-config-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A fresh directory with these files in it. */
async function project(files: Record<string, string>): Promise<string> {
  const root = await mkdtemp(path.join(dir, 'p-'));
  for (const [name, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(root, name)), { recursive: true });
    await writeFile(path.join(root, name), text);
  }
  return root;
}

async function loadError(opts: Parameters<typeof loadConfig>[0], code: ErrorCode): Promise<LbDevError> {
  try {
    await loadConfig(opts);
  } catch (error) {
    assert.ok(error instanceof LbDevError, `expected an LbDevError, got ${String(error)}`);
    assert.equal(error.code, code, error.message);
    return error;
  }
  assert.fail(`expected loadConfig to fail with ${code}`);
}

describe('loadConfig', () => {
  it('without a file: defaults and the demo app, paths in the cwd', async () => {
    const cwd = await project({});
    const config = await loadConfig({ cwd, overrides: {}, demoCommand: DEMO });
    assert.equal(config.source, null);
    assert.equal(config.usingDemoApp, true);
    assert.equal(config.stateDir, path.join(cwd, '.lb-dev'));
    assert.equal(config.groups[0]!.command, DEMO);
  });

  it('reads lb-dev.config.yaml from the cwd and applies the flags', async () => {
    const cwd = await project({ 'lb-dev.config.yaml': 'command: yarn dev\ninstances: 2\nbalancer:\n  port: 4000\n' });
    const config = await loadConfig({ cwd, overrides: { instances: 4 }, demoCommand: DEMO });
    assert.equal(config.source, path.join(cwd, 'lb-dev.config.yaml'));
    assert.equal(config.usingDemoApp, false);
    assert.equal(config.groups[0]!.instances, 4);
    assert.equal(config.balancer.port, 4000);
  });

  it('an empty file means the defaults', async () => {
    const cwd = await project({ 'lb-dev.config.yaml': '# nothing yet\n' });
    const config = await loadConfig({ cwd, overrides: {}, demoCommand: DEMO });
    assert.equal(config.usingDemoApp, true);
  });

  it('--config is relative to the cwd, and group paths to the file', async () => {
    const cwd = await project({ 'conf/lb.yaml': 'command: yarn dev\ncwd: ../app\n' });
    const config = await loadConfig({ configPath: 'conf/lb.yaml', cwd, overrides: {}, demoCommand: DEMO });
    assert.equal(config.source, path.join(cwd, 'conf/lb.yaml'));
    assert.equal(config.groups[0]!.cwd, path.join(cwd, 'app'));
  });

  it('a missing --config file is CONFIG_NOT_FOUND naming the path', async () => {
    const cwd = await project({});
    const error = await loadError({ configPath: 'nope.yaml', cwd, overrides: {}, demoCommand: DEMO }, 'CONFIG_NOT_FOUND');
    assert.equal(error.message, `expected a readable config file at ${path.join(cwd, 'nope.yaml')} (from --config nope.yaml), got no such file`);
  });

  it('a directory given as --config is CONFIG_NOT_FOUND', async () => {
    const cwd = await project({ 'sub/x': '' });
    const error = await loadError({ configPath: 'sub', cwd, overrides: {}, demoCommand: DEMO }, 'CONFIG_NOT_FOUND');
    assert.match(error.message, /got a directory$/);
  });

  it('a YAML syntax error is CONFIG_PARSE with file:line:col', async () => {
    const cwd = await project({ 'lb-dev.config.yaml': 'balancer:\n  port: 3000\n host: x\n' });
    const error = await loadError({ cwd, overrides: {}, demoCommand: DEMO }, 'CONFIG_PARSE');
    assert.equal(error.message, 'lb-dev.config.yaml:3:1: All mapping items must start at the same column');
  });

  it('a key written twice is CONFIG_PARSE at the second one', async () => {
    const cwd = await project({ 'lb-dev.config.yaml': 'balancer:\n  port: 3000\n  port: 4000\n' });
    const error = await loadError({ cwd, overrides: {}, demoCommand: DEMO }, 'CONFIG_PARSE');
    assert.equal(error.message, 'lb-dev.config.yaml:3:3: Map keys must be unique');
  });

  it('an unknown key is CONFIG_INVALID with its line and a suggestion', async () => {
    const text = [
      'balancer:', // 1
      '  port: 3000', // 2
      'groups:', // 3
      '  app:', // 4
      '    command: yarn dev', // 5
      '    instanses: 2', // 6
      '    readiness:', // 7
      '      http:', // 8
      '        path: health', // 9
      '    env:', // 10
      '      - A=1', // 11
      '  web:', // 12
      '    command: yarn web', // 13
      '    restart: { jitter: 2 }', // 14
      'traefik:', // 15
      '  websocketPaths: [/ws]', // 16
      '',
    ].join('\n');
    const cwd = await project({ 'lb-dev.config.yaml': text });
    const error = await loadError({ cwd, overrides: {}, demoCommand: DEMO }, 'CONFIG_INVALID');
    assert.equal(error.message, 'lb-dev.config.yaml has 5 problems');
    assert.deepEqual(error.details, [
      'line 6: groups.app.instanses: unknown key "instanses"; did you mean `instances`?',
      'line 9: groups.app.readiness.http.path: expected a URL path starting with /, like /api/info, got "health"',
      'line 10: groups.app.env: expected a mapping of environment variable names to values, got a list',
      'line 14: groups.web.restart.jitter: expected a number from 0 to 1, got 2',
      'line 16: traefik.websocketPaths: unknown key "websocketPaths"; did you mean `balancer.websocketPaths`?',
    ]);
  });

  it('list items have their own lines', async () => {
    const cwd = await project({ 'lb-dev.config.yaml': 'balancer:\n  websocketPaths:\n    - /ws\n    - sockjs\n' });
    const error = await loadError({ cwd, overrides: {}, demoCommand: DEMO }, 'CONFIG_INVALID');
    assert.deepEqual(error.details, ['line 4: balancer.websocketPaths.1: expected a URL path starting with /, like /api/info, got "sockjs"']);
  });

  it('config/lb-dev.example.yaml loads cleanly, matching the defaults', async () => {
    const example = await loadConfig({ configPath: path.join(REPO, 'config/lb-dev.example.yaml'), cwd: REPO, overrides: {}, demoCommand: DEMO });
    const defaults = await loadConfig({ cwd: await project({}), overrides: {}, demoCommand: DEMO });
    assert.equal(example.usingDemoApp, true);
    // The example sets every key to its default; only the paths differ (they are relative to the file),
    // and which keys were written (all of them there).
    const strip = (c: typeof example) => ({ ...c, source: null, stateDir: '', explicit: null, groups: c.groups.map((g) => ({ ...g, cwd: '' })) });
    assert.deepEqual(strip(example), strip(defaults));
  });
});

/** Dotted paths of the leaves (scalars, lists, empty mappings) of a parsed YAML value. */
function leafPaths(value: unknown, prefix = ''): string[] {
  if (value === null || typeof value !== 'object' || Array.isArray(value) || Object.keys(value).length === 0) return [prefix];
  return Object.entries(value).flatMap(([key, child]) => leafPaths(child, prefix === '' ? key : `${prefix}.${key}`));
}

/** Dotted paths of the keys that change behaviour by being written at all. */
function fixedWhenWritten(fields: Fields, prefix = ''): string[] {
  return Object.entries(fields).flatMap(([key, field]) => {
    const name = prefix === '' ? key : `${prefix}.${key}`;
    if (field.kind === 'group') return fixedWhenWritten(field.fields, name);
    return field.writtenMeansFixed ? [name] : [];
  });
}

describe('config/lb-dev.example.yaml', () => {
  it('sets every key of CONFIG_DEFAULTS but those fixed when written, which it shows commented out', async () => {
    const text = await readFile(path.join(REPO, 'config/lb-dev.example.yaml'), 'utf8');
    const fixed = fixedWhenWritten(TOP_FIELDS);
    assert.deepEqual(fixed.sort(), ['dashboard.port', 'traefik.apiPort', 'traefik.binary']);
    const expected = leafPaths(JSON.parse(JSON.stringify(CONFIG_DEFAULTS))).filter((key) => !fixed.includes(key));
    assert.deepEqual(leafPaths(parse(text)).sort(), expected.sort());
    for (const key of fixed) assert.match(text, new RegExp(`^ *# ${key.split('.').at(-1)}: `, 'm'), `${key} commented out`);
  });
});

describe('parseConfigText', () => {
  it('maps key paths to their 1-based lines', () => {
    const parsed = parseConfigText('a: 1\nb:\n  c: 2\n  d:\n    - x\n    - y\n', 'f.yaml');
    assert.deepEqual(parsed.value, { a: 1, b: { c: 2, d: ['x', 'y'] } });
    assert.equal(parsed.positions(['a']), 1);
    assert.equal(parsed.positions(['b', 'c']), 3);
    assert.equal(parsed.positions(['b', 'd', '1']), 6);
    assert.equal(parsed.positions(['b', 'missing']), undefined);
  });

  it('an unclosed quote is reported where the file ends', () => {
    assert.throws(
      () => parseConfigText('balancer:\n  host: "127.0.0.1\n', 'f.yaml'),
      (error: LbDevError) => {
        assert.equal(error.code, 'CONFIG_PARSE');
        assert.equal(error.message, 'f.yaml:3:1: Missing closing "quote');
        return true;
      },
    );
  });

  it('lists further syntax errors as details', () => {
    assert.throws(
      () => parseConfigText('a: 1\na: 2\nb:\n  c: 1\n d: 2\n', 'f.yaml'),
      (error: LbDevError) => {
        assert.equal(error.code, 'CONFIG_PARSE');
        assert.match(error.message, /^f\.yaml:2:1: /);
        assert.ok(error.details.length >= 1, 'the second error is a detail');
        assert.match(error.details[0]!, /^f\.yaml:5:\d+: /);
        return true;
      },
    );
  });

  it('every repeated key is reported, in file order, also inside lists', () => {
    assert.throws(
      () => parseConfigText('a: 1\nl:\n  - { x: 1, x: 2 }\na: 3\n', 'f.yaml'),
      (error: LbDevError) => {
        assert.equal(error.code, 'CONFIG_PARSE');
        assert.equal(error.message, 'f.yaml:3:13: Map keys must be unique');
        assert.deepEqual(error.details, ['f.yaml:4:1: Map keys must be unique']);
        return true;
      },
    );
  });

  it('the same key in two mappings is not a repeat', () => {
    assert.deepEqual(parseConfigText('a: { x: 1 }\nb: { x: 2 }\n', 'f.yaml').value, { a: { x: 1 }, b: { x: 2 } });
  });

  it('50,000 unknown keys are parsed and reported in linear time', () => {
    // The yaml library's own unique-key check was quadratic: this took about 30 s.
    const text = Array.from({ length: 50_000 }, (_, i) => `key${i}: ${i}`).join('\n');
    const started = performance.now();
    const parsed = parseConfigText(text, 'f.yaml');
    assert.equal(parsed.positions(['key49999']), 50_000);
    assert.throws(
      () => resolveConfig(parsed.value, { source: '/p/f.yaml', positions: parsed.positions, overrides: {}, cwd: '/p', demoCommand: DEMO }),
      (error: LbDevError) => {
        assert.equal(error.details.length, 50_000);
        assert.equal(
          error.details[49_999],
          'line 50000: key49999: unknown key "key49999"; expected one of stateDir, balancer, traefik, logs, metrics, monitoring, dashboard, preset, rocketchat, groups, command, instances, cwd, env, reservePorts, readiness, restart, stopGracePeriod, dependsOn, startOrder, restartOn',
        );
        return true;
      },
    );
    process.stdout.write(`# 50,000 keys parsed and resolved in ${Math.round(performance.now() - started)} ms\n`);
  });
});
