// Seeded fuzz of the config loader (src/adapters/config-file.ts -> core/config/schema.ts):
// hundreds of mutations of config/lb-dev.example.yaml (wrong types, huge numbers, unknown
// keys, odd durations and sizes, regexes, deep nesting, broken YAML) written to a file and
// loaded as `lb-dev up --config` would. Each must be accepted (with durations a timer can
// hold and a logPattern that compiles) or refused with a coded error other than INTERNAL.
// The known ReDoS shapes (test/helpers/redos-shapes.ts) and seeded mutations of them are given as
// both log patterns: each is accepted, and then answers a line that almost matches it through
// ReadinessWatch, or is refused with a coded error. Replay a run with LB_DEV_FUZZ_SEED=<seed>. (The control socket has its own:
// test/unit/control/server-fuzz.test.ts; the CLI: cli.test.ts here.)
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { parse, stringify } from 'yaml';
import { loadConfig } from '../../../src/adapters/config-file.js';
import { ERROR_CODES, isLbDevError } from '../../../src/core/errors.js';
import type { LbDevConfig } from '../../../src/core/config/types.js';
import { FUZZ_SEED, type Picker, Tally, picker } from '../../helpers/fuzz.js';
import { REDOS_SHAPES, mutateShape, nearMiss, readinessMatches } from '../../helpers/redos-shapes.js';
import { ROOT } from '../../helpers/lb-dev/index.js';

const CASES = 400;
const MAX_TIMER_MS = 2 ** 31 - 1;
const EXAMPLE = readFileSync(join(ROOT, 'config', 'lb-dev.example.yaml'), 'utf8');
const dirs: string[] = [];
after(() => Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true }))));

/** Values that are wrong for most keys, or right in an odd way. */
function oddValue(p: Picker, depth = 0): unknown {
  switch (p.int(depth > 3 ? 9 : 12)) {
    case 0:
      return p.pick([null, true, false, '', ' ', '~', 'null', 'yes', 'NaN', '.inf', '-.inf']);
    case 1:
      return p.pick([0, -1, 1.5, -0, 1e308, -1e308, 2 ** 31, 2 ** 53 + 2, 65536, 99999, 0.0001]);
    case 2:
      return p.pick(['1000h', '720h', '25d', '-5s', '0ms', '5 parsecs', `${'9'.repeat(400)}s`, '1e3s', '1m30s', '0.5ms', '1h1h', 's', '10']);
    case 3:
      return p.pick(['10MB', '1KiB', '0B', '-1MB', `${'9'.repeat(40)}GiB`, '1.5MiB', '10 MB', 'MB']);
    case 4:
      return p.chance(0.5)
        ? p.pick(['^(a+)+$', '(a|a)*', '(', '[', '\\', '(?<n>x)\\k<n>', 'x'.repeat(100_000), '(\\d+x)*', 'ready', '.*', '\\p{L}+', '(?=a)', '[0-9a-f]{40}'])
        : mutateShape(p).pattern;
    case 5:
      return p.pick(['{port}', '{extraPort1}', '{extraPort0}', '{nope}', '{{port}}', 'node -e 0 {url}', '$(rm -rf /)', 'a\u0000b', 'é\u2028x']);
    case 6:
      return p.pick(['127.0.0.1', '0.0.0.0', '::1', '[::1]', 'localhost', 'exa mple', 'a'.repeat(300), '256.1.1.1', 'http://x']);
    case 7:
      return p.pick(['/', '/api/info', 'health', '//x', '/a b', '/%', '/?q=1', '/#x']);
    case 8:
      return p.pick([200, '200-399', '399-200', '600', 'abc', '100-', -1]);
    case 9:
      return Array.from({ length: p.int(4) }, () => oddValue(p, depth + 1));
    case 10: {
      const object: Record<string, unknown> = {};
      for (let i = p.int(4); i > 0; i--) object[p.pick(['x', 'path', 'port', 'command', '__proto__', 'constructor', 'a'.repeat(50)])] = oddValue(p, depth + 1);
      return object;
    }
    default: {
      // Deep nesting: a parser or walker that recurses must still answer.
      let deep: unknown = 'bottom';
      for (let i = 0; i < 50 + p.int(500); i++) deep = p.chance(0.5) ? { d: deep } : [deep];
      return deep;
    }
  }
}

/** Every [parent, key] of the parsed example, at any depth. */
function slots(value: unknown, out: Array<[Record<string, unknown> | unknown[], string | number]> = []) {
  if (Array.isArray(value))
    value.forEach((item, i) => {
      out.push([value, i]);
      slots(item, out);
    });
  else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      out.push([value as Record<string, unknown>, key]);
      slots(item, out);
    }
  }
  return out;
}

/** The example config, changed in 1 to 4 places; sometimes as broken YAML text. */
function mutate(p: Picker): string {
  const config = parse(EXAMPLE) as Record<string, unknown>;
  // A real command, so that acceptance is possible; the demo fallback is tried too.
  (config.groups as Record<string, Record<string, unknown>>).app!.command = p.chance(0.5) ? 'node -e 0' : null;
  for (let edits = 1 + p.int(4); edits > 0; edits--) {
    const all = slots(config);
    const [parent, key] = p.pick(all);
    const what = p.int(6);
    if (what === 0 && !Array.isArray(parent)) delete parent[key as string];
    else if (what === 1 && !Array.isArray(parent)) parent[`${String(key)}${p.pick(['s', 'x', '_', ''])}${p.int(3)}`] = oddValue(p);
    else if (what === 2) {
      // Many unknown keys at once (the duplicate-key check and suggestions must stay linear).
      const target = Array.isArray(parent) ? config : parent;
      for (let i = 0; i < p.pick([1, 10, 5_000]); i++) (target as Record<string, unknown>)[`unknown${i}`] = i;
    } else (parent as Record<string | number, unknown>)[key] = oddValue(p);
  }
  const text = stringify(config, { aliasDuplicateObjects: false, lineWidth: 0 });
  switch (p.int(10)) {
    case 0:
      return text.slice(0, p.int(text.length)); // cut short
    case 1:
      return text.replace(/\n {2}/, '\n\t '); // a tab in the indentation
    case 2:
      return `${text}\n${text}`; // every key twice
    case 3:
      return `a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: [*b, *b, *b, *b, *b, *b, *b, *b, *b]\n${text}`; // aliases
    case 4:
      return text.replace(/:/, p.pick(['::', ': [', ': {', ': "', ': !!binary x', ': !custom y']));
    default:
      return text;
  }
}

/** What an accepted config must hold: nothing a timer would turn into 1 ms, a regex that compiles. */
function checkAccepted(config: LbDevConfig, label: string): void {
  const walk = (value: unknown, path: string): void => {
    if (typeof value === 'number') {
      assert.ok(Number.isFinite(value), `${label}: ${path} = ${value}`);
      if (path.endsWith('Ms')) assert.ok(value >= 0 && value <= MAX_TIMER_MS, `${label}: ${path} = ${value} is beyond a timer's range`);
    } else if (value !== null && typeof value === 'object') {
      for (const [key, item] of Object.entries(value)) walk(item, `${path}.${key}`);
    }
  };
  walk(config, 'config');
  for (const group of config.groups) {
    for (const pattern of [group.readiness.logPattern, group.restartOn.logPattern]) {
      if (pattern !== null) for (const line of GENERIC_NEAR_MISSES) readinessMatches(pattern, line);
    }
  }
}

/** Lines that almost match many patterns of the shapes above: an accepted pattern must answer them. */
const GENERIC_NEAR_MISSES = [`${'a'.repeat(5_000)}!`, `${'word '.repeat(1_000)}!`, '1a'.repeat(2_500)];

test(`config loader: ${CASES} mutated configs are accepted or refused with a coded error (seed ${FUZZ_SEED})`, async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'lbdt-fuzz-config-'));
  dirs.push(dir);
  const file = join(dir, 'lb-dev.config.yaml');
  const p = picker(FUZZ_SEED);
  const tally = new Tally();
  for (let i = 0; i < CASES; i++) {
    const text = mutate(p);
    const label = `case ${i} (LB_DEV_FUZZ_SEED=${FUZZ_SEED})`;
    await writeFile(file, text);
    try {
      checkAccepted(await loadConfig({ configPath: file, cwd: dir, overrides: {}, demoCommand: 'node demo.js' }), label);
      tally.add('accepted');
    } catch (error) {
      if (error instanceof assert.AssertionError) throw error;
      assert.ok(isLbDevError(error), `${label}: not a coded error: ${(error as Error).stack}\n--- config ---\n${text.slice(0, 2000)}`);
      assert.ok(error.code in ERROR_CODES && error.code !== 'INTERNAL', `${label}: ${error.code}: ${error.message}`);
      tally.add(error.code);
    }
  }
  const report = `config fuzz (seed ${FUZZ_SEED}): ${tally.total} configs: ${tally}`;
  t.diagnostic(report);
  console.log(`[fuzz] ${report}`);
  assert.equal(tally.total, CASES);
});

test(`config loader: the ReDoS shapes and 40 mutations as both log patterns are accepted and answer a near miss, or refused with a coded error (seed ${FUZZ_SEED})`, async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'lbdt-fuzz-patterns-'));
  dirs.push(dir);
  const file = join(dir, 'lb-dev.config.yaml');
  const p = picker(FUZZ_SEED);
  const tally = new Tally();
  for (const shape of [...REDOS_SHAPES, ...Array.from({ length: 40 }, () => mutateShape(p))]) {
    const groups = {
      dev: { command: 'node -e 0', readiness: { http: false, logPattern: shape.pattern } },
      replica: { command: 'node -e 0', restartOn: { logFrom: 'dev', logPattern: shape.pattern } },
    };
    await writeFile(file, stringify({ groups }));
    const label = `${JSON.stringify(shape.pattern)} (LB_DEV_FUZZ_SEED=${FUZZ_SEED})`;
    try {
      const config = await loadConfig({ configPath: file, cwd: dir, overrides: {}, demoCommand: 'node demo.js' });
      checkAccepted(config, label);
      for (const length of [5_000, 50_000]) readinessMatches(shape.pattern, nearMiss(shape, length));
      tally.add('accepted');
    } catch (error) {
      if (error instanceof assert.AssertionError) throw error;
      assert.ok(isLbDevError(error), `${label}: not a coded error: ${(error as Error).stack}`);
      assert.ok(error.code in ERROR_CODES && error.code !== 'INTERNAL', `${label}: ${error.code}: ${error.message}`);
      tally.add(error.code);
    }
  }
  t.diagnostic(`pattern fuzz (seed ${FUZZ_SEED}): ${tally}`);
  assert.equal(tally.total, REDOS_SHAPES.length + 40);
});
