/** The real demo app (src/demo/server.ts) as a child process through tsx, the way lb-dev runs it: for the demo's tests. */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import getPort from 'get-port';
import WebSocket from 'ws';
const serverPath = fileURLToPath(new URL('../../../src/demo/server.ts', import.meta.url));
/** tsx start-up on a busy machine takes seconds. */
const START_TIMEOUT_MS = 20_000;

export interface Demo {
  child: ChildProcess;
  port: number;
  base: string;
  stdout: () => string;
  stderr: () => string;
  /** Resolves with the first stdout line matching `pattern`. */
  waitForLine: (pattern: RegExp, timeoutMs?: number) => Promise<string>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export function spawnDemo(env: Record<string, string | undefined>): Demo {
  const child = spawn(process.execPath, ['--import', 'tsx', serverPath], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  const waiters = new Set<() => void>();
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    out += chunk;
    for (const check of waiters) check();
  });
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
    err += chunk;
  });
  const exited = once(child, 'exit').then(([code, signal]) => ({ code: code as number | null, signal: signal as NodeJS.Signals | null }));
  const port = Number(env.PORT);
  return {
    child,
    port,
    base: `http://127.0.0.1:${port}`,
    stdout: () => out,
    stderr: () => err,
    exited,
    waitForLine: (pattern, timeoutMs = START_TIMEOUT_MS) =>
      new Promise((resolve, reject) => {
        const check = (): void => {
          const line = out.split('\n').find((l) => pattern.test(l));
          if (line !== undefined) {
            cleanup();
            resolve(line);
          }
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`no line matching ${pattern} within ${timeoutMs}ms; stdout:\n${out}\nstderr:\n${err}`));
        }, timeoutMs);
        const cleanup = (): void => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
        void exited.then(() => {
          check();
          if (waiters.has(check)) {
            cleanup();
            reject(new Error(`exited before a line matching ${pattern}; stdout:\n${out}\nstderr:\n${err}`));
          }
        });
        check();
      }),
  };
}

export async function startDemo(env: Record<string, string> = {}): Promise<Demo> {
  const demo = spawnDemo({ PORT: String(await getPort()), ...env });
  await demo.waitForLine(/SERVER RUNNING on port/);
  return demo;
}

export async function stop(demo: Demo): Promise<void> {
  if (demo.child.exitCode === null && demo.child.signalCode === null) demo.child.kill('SIGKILL');
  await demo.exited;
}

/** Opens a WebSocket and collects its messages as parsed JSON. */
export async function openSocket(url: string): Promise<{ ws: WebSocket; next: () => Promise<unknown> }> {
  const ws = new WebSocket(url);
  const messages: unknown[] = [];
  const waiting: ((message: unknown) => void)[] = [];
  ws.on('message', (data) => {
    const message: unknown = JSON.parse(data.toString());
    const resolve = waiting.shift();
    if (resolve) resolve(message);
    else messages.push(message);
  });
  await once(ws, 'open');
  return {
    ws,
    next: () => (messages.length > 0 ? Promise.resolve(messages.shift()) : new Promise((resolve) => waiting.push(resolve))),
  };
}
