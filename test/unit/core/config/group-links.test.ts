// Checks of dependsOn, restartOn and {instance.port} placeholders (src/core/config/group-links.ts),
// through resolveConfig with line numbers from a parsed file, and the template they fill.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseConfigText } from '../../../../src/adapters/config-file.js';
import { resolveConfig } from '../../../../src/core/config/schema.js';
import { LbDevError } from '../../../../src/core/errors.js';
import { renderTemplate } from '../../../../src/core/text/template.js';

function resolveText(text: string) {
  const parsed = parseConfigText(text, 'lb-dev.config.yaml');
  return resolveConfig(parsed.value, { source: 'lb-dev.config.yaml', positions: parsed.positions, overrides: {}, cwd: '/tmp', demoCommand: 'node -e 0' });
}

function problemsOf(text: string): string[] {
  try {
    resolveText(text);
  } catch (error) {
    assert.ok(error instanceof LbDevError && error.code === 'CONFIG_INVALID', String(error));
    return [...(error.details ?? [])];
  }
  return [];
}

test('a valid dependency graph resolves with its defaults', () => {
  const config = resolveText(`
groups:
  dev:
    command: meteor --port {port}
    instances: 1
    reservePorts: 1
  replica:
    command: node main.js
    dependsOn: [dev-1]
    startOrder: sequential
    env: { MONGO_URL: "mongodb://127.0.0.1:{dev-1.extraPort1}/meteor" }
    restartOn: { logFrom: dev, logPattern: "=> Meteor server restarted", files: [main.js] }
`);
  const [dev, replica] = config.groups;
  assert.deepEqual([dev!.dependsOn, dev!.startOrder, dev!.restartOn], [[], 'parallel', { logFrom: null, logPattern: null, files: [], drainMs: 1000 }]);
  assert.deepEqual([replica!.dependsOn, replica!.startOrder, replica!.restartOn.drainMs], [['dev-1'], 'sequential', 1000]);
});

const cases: Array<{ name: string; text: string; problems: string[] }> = [
  {
    name: 'unknown group or instance, and a group waiting for itself',
    text: 'groups:\n  a:\n    command: x\n    instances: 2\n  b:\n    command: y\n    dependsOn: [c, a-3, b]\n',
    problems: [
      'line 7: groups.b.dependsOn.0: expected a group or instance (a, a-1...a-2, b, b-1...b-3), got "c"',
      'line 7: groups.b.dependsOn.1: expected a group or instance (a, a-1...a-2, b, b-1...b-3), got "a-3"',
      'line 7: groups.b.dependsOn.2: expected another group or its instances, got "b": a group cannot wait for itself',
    ],
  },
  {
    name: 'a cycle',
    text: 'groups:\n  a:\n    command: x\n    dependsOn: [b-1]\n  b:\n    command: y\n    dependsOn: [a]\n',
    problems: ['line 4: groups.a.dependsOn: expected start-up dependencies without a cycle, got a -> b -> a'],
  },
  {
    name: 'restartOn: logFrom without logPattern, on its own group',
    text: 'groups:\n  a:\n    command: x\n    restartOn:\n      logFrom: a\n',
    problems: [
      'line 5: groups.a.restartOn.logFrom: expected restartOn.logFrom and restartOn.logPattern together, got only logFrom',
      'line 5: groups.a.restartOn.logFrom: expected another group (restarting a group on its own output would loop), got "a"',
    ],
  },
  {
    name: 'a peer placeholder without dependsOn, and beyond reservePorts',
    text: 'groups:\n  a:\n    command: x\n  b:\n    command: y {a-1.port}\n  c:\n    command: z\n    dependsOn: [a]\n    env: { U: "{a-1.extraPort1}" }\n',
    problems: [
      'line 5: groups.b.command: expected a-1 (or a) in dependsOn, so that its ports exist before b starts, got {a-1.port} without it',
      "line 9: groups.c.env.U: expected {a-1.extraPort1} within a's reservePorts (0), got extra port 1",
    ],
  },
  {
    name: 'bad values',
    text: 'command: x\ndependsOn: [Bad]\nstartOrder: random\n',
    problems: [
      'line 2: dependsOn.0: expected a group or instance name like meteor or meteor-1, got "Bad"',
      'line 3: startOrder: expected one of parallel, sequential, got "random"',
    ],
  },
];

for (const { name, text, problems } of cases) {
  test(`rejected: ${name}`, () => assert.deepEqual(problemsOf(text), problems));
}

test("renderTemplate fills another instance's ports, and leaves unknown ones as written", () => {
  const values = {
    port: 5000,
    index: 1,
    name: 'b-1',
    url: 'http://127.0.0.1:3000',
    group: 'b',
    extraPorts: [],
    peerPorts: (name: string) => (name === 'a-1' ? [4000, 4001] : undefined),
  };
  assert.equal(renderTemplate('{a-1.port} {a-1.extraPort1} {a-1.extraPort2} {x-1.port} {port}', values), '4000 4001 {a-1.extraPort2} {x-1.port} 5000');
});
