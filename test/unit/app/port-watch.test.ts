// PortWatch (src/app/port-watch.ts) against real servers, with both process tables (/proc and
// ps + lsof): a server that ignores PORT is named within 5 s; one on its port stops the looks.
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { after, test } from 'node:test';
import { PortAllocator } from '../../../src/adapters/ports.js';
import { createProcessTable } from '../../../src/adapters/process/process-table/choose.js';
import type { ProcessTable, ProcessTableKind } from '../../../src/adapters/process/process-table/process-table.js';
import { PortWatch } from '../../../src/app/port-watch.js';
import { fixture, nodeFixture, waitUntil } from '../../helpers/lb-dev/index.js';
import { holdsFor } from '../../helpers/wait.js';
import { killInstanceLeftovers, makeInstance } from './instance-harness.js';

const children: ChildProcess[] = [];
after(() => {
  for (const child of children) child.kill('SIGKILL');
  killInstanceLeftovers();
});

/** A fixture server, resolved once it printed its port. */
async function serve(name: string, env: Record<string, string>): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(process.execPath, [fixture(name)], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(child);
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const port = await waitUntil(() => Number(/listening on (\d+)/.exec(output)?.[1] ?? 0), { timeoutMs: 5_000, what: `${name} listening` });
  return { child, port };
}

/** The table, counting its scans of listening sockets. */
function counted(kind: ProcessTableKind): { table: ProcessTable; scans: () => number } {
  const table = createProcessTable(kind);
  let scans = 0;
  return {
    table: {
      ...table,
      kind: table.kind,
      listeningPorts: (pids) => {
        scans++;
        return table.listeningPorts(pids);
      },
    },
    scans: () => scans,
  };
}

for (const kind of ['proc', 'portable'] as const) {
  test(`${kind} table: a server that ignores PORT is named within 5 s, once`, async (t) => {
    const [given] = await new PortAllocator('127.0.0.1').allocate(1);
    const { child, port } = await serve('ignore-port.mjs', { PORT: String(given) });
    const began = Date.now();
    const told: number[][] = [];
    const watch = new PortWatch(child.pid!, [given!], (listening) => told.push(listening), counted(kind).table);
    watch.start(60_000);
    await waitUntil(() => told.length > 0, { timeoutMs: 5_000, what: 'the wrong port told' });
    const tookMs = Date.now() - began;
    assert.deepEqual(told, [[port]]);
    await holdsFor(() => told.length === 1, 2_500, 'told once');
    watch.stop();
    t.diagnostic(`${kind}: told ${tookMs} ms after the server listened on ${port} (given ${given})`);
    child.kill('SIGKILL');
  });

  test(`${kind} table: a server on its port is not named, and the looks stop`, async () => {
    const [given] = await new PortAllocator('127.0.0.1').allocate(1);
    const { child } = await serve('http-ok.mjs', { PORT: String(given) });
    const { table, scans } = counted(kind);
    const told: number[][] = [];
    const watch = new PortWatch(child.pid!, [given!], (listening) => told.push(listening), table);
    watch.start(60_000);
    await waitUntil(() => scans() > 0, { timeoutMs: 5_000, what: 'a first look' });
    const seen = scans();
    await holdsFor(
      () => scans() === seen && told.length === 0,
      2_500,
      () => `no more looks (${scans()} after ${seen}), nothing told (${told})`,
    );
    watch.stop();
    child.kill('SIGKILL');
    await once(child, 'exit');
  });
}

test('an instance that ignores PORT says so in its log and its status within 5 s', async () => {
  const { instance, events, until } = makeInstance({ command: nodeFixture('ignore-port.mjs'), readiness: { http: { interval: '50ms' }, startTimeout: '1m' } });
  const began = Date.now();
  instance.start();
  try {
    await Promise.race([
      until(() => instance.status().warning !== undefined),
      new Promise((_, reject) => setTimeout(() => reject(new Error(`no warning within 5 s: ${events.join(' | ')}`)), 5_000)),
    ]);
  } finally {
    await instance.stop();
    instance.releasePorts();
  }
  const tookMs = Date.now() - began;
  const warning = instance.status().warning!;
  assert.match(warning, /^app-1 listens on \d+, not \d+: this dev server ignores PORT; .*see docs\/frameworks\.md$/);
  assert.equal(events.filter((line) => line === warning).length, 1, events.join('\n'));
  assert.ok(tookMs < 5_000, `${tookMs} ms`);
});
