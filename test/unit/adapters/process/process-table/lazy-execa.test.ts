// execa (~14 MB resident) is loaded for the portable table's tool calls only: an `up` on Linux
// with /proc stops trees, looks for leftovers and explains a start timeout without it.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { TSX } from '../../../../helpers/lb-dev/index.js';

const linux = process.platform === 'linux' ? false : 'the /proc table is Linux only';
let dir = '';
before(async () => { dir = await mkdtemp(join(tmpdir(), 'lbd-lazy-')); });
after(() => rm(dir, { recursive: true, force: true }));

const src = (path: string) => pathToFileURL(join(import.meta.dirname, '../../../../../src', path)).href;

/** The module URLs a Node process loads while it uses the process table (`table` forced, or chosen). */
async function modulesLoaded(table: 'proc' | 'portable'): Promise<string[]> {
  const hooks = join(dir, 'hooks.mjs');
  await writeFile(hooks, "export async function load(url, context, next) { process._rawDebug('LOADED ' + url); return next(url, context); }\n");
  const register = join(dir, 'register.mjs');
  await writeFile(register, `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(hooks).href)});\n`);
  const script = `
    import { spawn } from 'node:child_process';
    const { stopProcessTree } = await import(${JSON.stringify(src('adapters/process/kill-tree.ts'))});
    const { stopLeftovers } = await import(${JSON.stringify(src('adapters/process/leftovers.ts'))});
    const { explainNotListening } = await import(${JSON.stringify(src('app/start-timeout.ts'))});
    const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { detached: true, stdio: 'ignore' });
    const exited = new Promise((resolve) => child.once('exit', resolve));
    await new Promise((resolve) => child.once('spawn', resolve));
    console.log('EXPLAINED', await explainNotListening(child.pid, 1));
    await stopLeftovers('/no/such/state/dir', 100);
    await stopProcessTree(child.pid, exited, 1000);
    console.log('STOPPED');
  `;
  const child = spawn(process.execPath, ['--import', register, '--import', TSX, '--input-type=module', '-e', script], {
    env: { ...process.env, LB_DEV_PROCESS_TABLE: table }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => { stdout += chunk.toString('utf8'); });
  child.stderr!.on('data', (chunk: Buffer) => { stderr += chunk.toString('utf8'); });
  const [code] = await once(child, 'exit') as [number | null];
  assert.equal(code, 0, stderr);
  // (The portable table's explanation needs lsof: process-table.test.ts checks that.)
  const explained = /EXPLAINED nothing listens on its port 1 \(\$PORT\), and its processes listen on no TCP port yet\n/;
  if (table === 'proc') assert.match(stdout, explained, stdout + stderr);
  assert.match(stdout, /STOPPED/, stdout + stderr);
  return [...stderr.matchAll(/^LOADED (.*)$/gm)].map((match) => match[1]!);
}

test('with /proc, stopping a tree, looking for leftovers and explaining a timeout never load execa', { skip: linux }, async () => {
  const loaded = await modulesLoaded('proc');
  assert.ok(loaded.some((url) => url.endsWith('/process-table/ps-table.ts')), 'the hook saw the tables load');
  assert.deepEqual(loaded.filter((url) => url.includes('/node_modules/execa/')), []);
});

test('the portable table loads execa for its tool calls (so the check above can fail)', async () => {
  const loaded = await modulesLoaded('portable');
  assert.ok(loaded.some((url) => url.includes('/node_modules/execa/')), 'execa loaded');
});
