/** Runs test/fixtures/lifeline-parent.ts (a stand-in for `up` with a lifeline) and waits for its READY line. */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { TSX, fixture, killHard, waitUntil } from '../../../helpers/lb-dev/index.js';

export interface Tree {
  watchdog: number;
  leader: number;
  grandchildren: number[];
}

export async function startParent(dir: string, cleanups: Array<() => unknown>, containerId?: string): Promise<{ parent: ChildProcess; tree: Tree }> {
  const parent = spawn(process.execPath, ['--import', TSX, fixture('lifeline-parent.ts'), dir, ...(containerId ? [containerId] : [])], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  let tree: Tree | null = null;
  cleanups.push(() => {
    killHard(parent.pid!);
    if (tree) for (const pid of [tree.leader, ...tree.grandchildren, tree.watchdog]) killHard(pid);
  });
  let text = '';
  parent.stdout!.setEncoding('utf8');
  parent.stdout!.on('data', (chunk: string) => {
    text += chunk;
  });
  const line = await waitUntil(() => /READY (.*)\n/.exec(text)?.[1], { timeoutMs: 20_000, what: () => `READY from the fixture, got ${JSON.stringify(text)}` });
  tree = JSON.parse(line) as Tree;
  assert.equal(tree.grandchildren.length, 2);
  return { parent, tree };
}
