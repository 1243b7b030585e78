/**
 * A real process tree for the process-table and kill-tree tests: a leader of its own process
 * group, a child, a grandchild that listens on a TCP port, and a descendant that left the group
 * (setsid, as Node's `detached` does) and listens too. Every process carries LB_DEV_TREE_TEST
 * in its environment, and prints `<ROLE> TERM` on each SIGTERM it gets; those named in
 * `ignoreTerm` stay, the others exit.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { waitUntil } from '../../../helpers/wait.js';

export type Role = 'LEADER' | 'CHILD' | 'GRANDCHILD' | 'OUTSIDER';

export interface LiveTree {
  process: ChildProcess;
  leader: number;
  child: number;
  grandchild: number;
  /** In a session and process group of its own. */
  outsider: number;
  grandchildPort: number;
  outsiderPort: number;
  /** `LB_DEV_TREE_TEST=<uuid>`: in every member's environment. */
  marker: string;
  exited: Promise<void>;
  /** Lines the members print (`<role> TERM` when they get SIGTERM). */
  output(): string;
  /** How many SIGTERMs `role` reported. */
  terms(role: Role): number;
  /** SIGKILL to the group and to the outsider; safe to call twice. */
  kill(): void;
}

const listen = "const s = require('net').createServer().listen(0, '127.0.0.1', () => console.log(ROLE + ' ' + process.pid + ' ' + s.address().port));";
const idle = 'setInterval(() => {}, 1 << 30);';
const onTerm = (ignore: boolean) => `process.on('SIGTERM', () => { console.log(ROLE + ' TERM'); ${ignore ? '' : 'process.exit(0);'} });`;

function script(role: Role, ignoreTerm: readonly Role[], body: string): string {
  return `const ROLE = ${JSON.stringify(role)}; const { spawn } = require('node:child_process'); ${onTerm(ignoreTerm.includes(role))} ${body}`;
}

export async function startLiveTree(opts: { ignoreTerm?: readonly Role[]; env?: Record<string, string> } = {}): Promise<LiveTree> {
  const ignore = opts.ignoreTerm ?? [];
  const node = JSON.stringify(process.execPath);
  const grandchild = script('GRANDCHILD', ignore, `${listen} ${idle}`);
  const startGrandchild = `spawn(${node}, ['-e', ${JSON.stringify(grandchild)}], { stdio: 'inherit' });`;
  const child = script('CHILD', ignore, `console.log('CHILD ' + process.pid); ${startGrandchild} ${idle}`);
  const outsider = script('OUTSIDER', ignore, `${listen} ${idle}`);
  const leader = script(
    'LEADER',
    ignore,
    [
      `spawn(${node}, ['-e', ${JSON.stringify(child)}], { stdio: 'inherit' });`,
      `spawn(${node}, ['-e', ${JSON.stringify(outsider)}], { stdio: 'inherit', detached: true });`,
      idle,
    ].join(' '),
  );
  const marker = `LB_DEV_TREE_TEST=${randomUUID()}`;
  const [name, value] = marker.split('=') as [string, string];
  const env = { ...process.env, ...opts.env, [name]: value };
  const proc = spawn(process.execPath, ['-e', leader], { detached: true, stdio: ['ignore', 'pipe', 'inherit'], env });
  let text = '';
  proc.stdout!.setEncoding('utf8');
  proc.stdout!.on('data', (chunk: string) => {
    text += chunk;
  });
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  const found = (role: string) => new RegExp(`^${role} (\\d+)(?: (\\d+))?$`, 'm').exec(text);
  let outsiderPid = 0;
  const kill = () => {
    for (const target of [-proc.pid!, outsiderPid]) {
      try {
        if (target !== 0) process.kill(target, 'SIGKILL');
      } catch {
        // gone
      }
    }
  };
  try {
    await waitUntil(() => found('CHILD') && found('GRANDCHILD') && found('OUTSIDER'), { timeoutMs: 15_000, what: () => `the tree to start; output: ${text}` });
  } catch (error) {
    kill();
    throw error;
  }
  const [, grandchildPid, grandchildPort] = found('GRANDCHILD')!;
  const [, outsiderText, outsiderPort] = found('OUTSIDER')!;
  outsiderPid = Number(outsiderText);
  return {
    process: proc,
    leader: proc.pid!,
    child: Number(found('CHILD')![1]),
    grandchild: Number(grandchildPid),
    outsider: outsiderPid,
    grandchildPort: Number(grandchildPort),
    outsiderPort: Number(outsiderPort),
    marker,
    exited,
    output: () => text,
    kill,
    terms: (role) => text.split('\n').filter((line) => line === `${role} TERM`).length,
  };
}
