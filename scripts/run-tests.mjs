#!/usr/bin/env node
// `npm test`: build, prepare what the end-to-end tests need when it can, then run every
// test file with Node's test runner (TypeScript through tsx).
//
//   node scripts/run-tests.mjs [unit|e2e] [--only PATTERN] [--prebuilt]
//
// --prebuilt: dist/ is built and the sources type-checked already (.ci/run does both once, then
// runs two suites at once, which must not rebuild dist/ under each other).
//
// End-to-end tests need a Docker engine and the traefik:v3.6 image. Without them they are
// reported as skipped, saying why - unless LB_DEV_E2E_REQUIRED=1 (CI), which makes a
// missing Docker or Traefik a failure.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const suite = args.find((a) => ['unit', 'e2e', 'all'].includes(a)) ?? 'all';
const onlyIndex = args.indexOf('--only');
const only = onlyIndex >= 0 ? args[onlyIndex + 1] : undefined;
const required = process.env.LB_DEV_E2E_REQUIRED === '1';
const prebuilt = args.includes('--prebuilt');

function say(message) {
  process.stderr.write(`[test] ${message}\n`);
}

function run(command, commandArgs, options = {}) {
  const result = spawnSync(command, commandArgs, { cwd: root, stdio: 'inherit', ...options });
  return result.status ?? 1;
}

function findTests(dir) {
  const out = [];
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) out.push(...findTests(path));
    else if (entry.endsWith('.test.ts')) out.push(path);
  }
  return out.sort();
}

if (!prebuilt) {
  say('building (tsc) ...');
  if (run('npx', ['tsc', '-p', 'tsconfig.build.json']) !== 0 || run('node', ['scripts/copy-dashboard-assets.mjs']) !== 0) process.exit(1);
  // Tests run through tsx, which strips types without checking them: check src and test here.
  say('type-checking src and test (tsc --noEmit) ...');
  if (run('npx', ['tsc', '-p', 'tsconfig.json', '--noEmit']) !== 0) process.exit(1);
}

if (suite !== 'unit') {
  const dockerUp = spawnSync('docker', ['info'], { stdio: 'ignore' }).status === 0;
  const image = process.env.LB_DEV_TRAEFIK_IMAGE ?? 'traefik:v3.6';
  if (dockerUp && spawnSync('docker', ['image', 'inspect', image], { stdio: 'ignore' }).status !== 0) {
    say(`image ${image} missing: providing it (scripts/provide-traefik.sh; the first build takes minutes) ...`);
    if (run('bash', ['scripts/provide-traefik.sh']) !== 0 && required) process.exit(1);
  }
  if (!dockerUp) {
    say(
      required
        ? 'Docker engine not reachable and LB_DEV_E2E_REQUIRED=1: the end-to-end tests will FAIL (run scripts/provide-docker.sh).'
        : 'Docker engine not reachable: end-to-end tests will be reported as skipped (scripts/provide-docker.sh provides one).',
    );
  }
}

const dirs = suite === 'all' ? ['test/unit', 'test/e2e'] : [`test/${suite}`];
let files = dirs.flatMap((d) => findTests(join(root, d)));
if (only) files = files.filter((f) => f.includes(only));
if (files.length === 0) {
  say('no test files matched');
  process.exit(1);
}
say(`running ${files.length} test files ...`);
const status = run(process.execPath, [
  '--import',
  'tsx',
  '--test',
  '--test-concurrency=1',
  // A hung test fails after 10 minutes instead of holding CI until its own limit.
  '--test-timeout=600000',
  '--test-reporter=spec',
  ...files.map((f) => relative(root, f)),
]);
process.exit(status);
