// lb-dev init (src/app/init.ts, src/core/config/init-file.ts) in temp copies of the stand-in
// Rocket.Chat checkout and of a plain project: preset detection, refusing to overwrite, the
// lb:dev script; and every rendered file resolves to the config it promises.
import assert from 'node:assert/strict';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { parseConfigText } from '../../../src/adapters/config-file.js';
import { runInit, type InitOptions } from '../../../src/app/init.js';
import { renderInitConfig } from '../../../src/core/config/init-file.js';
import { resolveConfig } from '../../../src/core/config/schema.js';
import { LbDevError } from '../../../src/core/errors.js';
import { FIXTURES } from '../../helpers/lb-dev/index.js';

const dirs: string[] = [];
after(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

async function checkout(rocketChat: boolean): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'lbdt-init-'));
  dirs.push(dir);
  if (rocketChat) await cp(join(FIXTURES, 'rocketchat', 'checkout'), dir, { recursive: true });
  else await writeFile(join(dir, 'package.json'), '{\n\t"name": "web",\n\t"scripts": { "dev": "vite" }\n}\n');
  return dir;
}

function options(cwd: string, lines: string[], over: Partial<InitOptions> = {}): InitOptions {
  return { cwd, instances: 3, mongoUrl: null, force: false, addScript: false, ask: async () => false, say: (line) => lines.push(line), ...over };
}

const resolveText = (text: string, cwd: string) =>
  resolveConfig(parseConfigText(text, 'lb-dev.config.yaml').value, { source: join(cwd, 'lb-dev.config.yaml'), overrides: {}, cwd, demoCommand: 'node demo' });

test('in a Rocket.Chat checkout: picks rocketchat and says so, writes an owner-only file, offers the script without adding it', async () => {
  const dir = await checkout(true);
  const lines: string[] = [];
  await runInit(options(dir, lines));
  assert.match(lines[0]!, /Rocket.Chat checkout .* using the rocketchat preset/);
  assert.ok(lines.some((l) => l.startsWith('Tip: add "lb:dev": "exec lb-dev up"')));
  const config = resolveText(await readFile(join(dir, 'lb-dev.config.yaml'), 'utf8'), dir);
  assert.deepEqual(
    config.groups.map((g) => [g.name, g.instances]),
    [
      ['meteor', 1],
      ['replica', 2],
    ],
  );
  assert.doesNotMatch(await readFile(join(dir, 'package.json'), 'utf8'), /lb:dev/);
  await assert.rejects(runInit(options(dir, [])), (error: unknown) => error instanceof LbDevError && error.code === 'INIT_FILE_EXISTS');
  await runInit(options(dir, [], { force: true, mode: 'independent', instances: 2, addScript: true }));
  assert.deepEqual(
    resolveText(await readFile(join(dir, 'lb-dev.config.yaml'), 'utf8'), dir).groups.map((g) => g.name),
    ['meteor', 'peer'],
  );
  assert.equal(JSON.parse(await readFile(join(dir, 'package.json'), 'utf8')).scripts['lb:dev'], 'exec lb-dev up');
});

test("elsewhere: generic with the project's dev command; asking adds the script keeping the file's tabs", async () => {
  const dir = await checkout(false);
  const lines: string[] = [];
  const questions: string[] = [];
  await runInit(
    options(dir, lines, {
      addScript: 'ask',
      ask: async (q) => {
        questions.push(q);
        return true;
      },
    }),
  );
  assert.match(lines[0]!, /Not a Rocket.Chat checkout/);
  assert.deepEqual(questions, ['Add "lb:dev": "exec lb-dev up" to package.json scripts? [y/N] ']);
  assert.equal(
    await readFile(join(dir, 'package.json'), 'utf8'),
    '{\n\t"name": "web",\n\t"scripts": {\n\t\t"dev": "vite",\n\t\t"lb:dev": "exec lb-dev up"\n\t}\n}\n',
  );
  const config = resolveText(await readFile(join(dir, 'lb-dev.config.yaml'), 'utf8'), dir);
  assert.deepEqual([config.groups[0]!.command, config.groups[0]!.instances], ['npm run dev', 3]);
  await assert.rejects(runInit(options(dir, [], { force: true, mode: 'independent' })), /--mode: expected the rocketchat preset/);
});

test('every rendered file resolves', () => {
  for (const preset of ['rocketchat', 'generic'] as const) {
    for (const mode of ['replicas', 'independent'] as const) {
      for (const mongoUrl of [null, 'mongodb://127.0.0.1:27017/rc?replicaSet=rs0']) {
        const text = renderInitConfig({ preset, mode, instances: 2, mongoUrl, command: null });
        assert.equal(
          resolveText(text, '/repo').groups.reduce((n, g) => n + g.instances, 0),
          2,
          `${preset} ${mode} ${mongoUrl}`,
        );
      }
    }
  }
});
