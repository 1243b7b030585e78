// The demo app (dist/demo/server.js) started by hand, outside lb-dev: the original proposal's
// instances, the bare parent of the reaction floor, the app-alone start-up time.
import { spawn } from 'node:child_process';
import { DEMO, fatal } from './util.mjs';

/**
 * Starts the demo on `port` as `name`, in a process group of its own (a kill of -pid takes every
 * process of it). Keeps its stderr and how it exited, to say why it never listened (EADDRINUSE:
 * then retryIfPortTaken starts again). `stdout`: 'ignore', or a file descriptor to write its
 * per-request lines to (as a shell's `> app.log` would).
 */
export function spawnDemo(port, name, { stdout = 'ignore' } = {}) {
  const child = spawn(process.execPath, [DEMO], {
    env: { ...process.env, PORT: String(port), LB_DEV_INSTANCE: name },
    stdio: ['ignore', stdout, 'pipe'],
    detached: true,
  });
  const demo = { name, port, pid: child.pid, child, stderr: '', exit: undefined };
  child.stderr.on('data', (c) => {
    demo.stderr = (demo.stderr + c.toString()).slice(-2_000);
  });
  child.once('exit', (code, signal) => {
    demo.exit = `${code ?? signal}`;
  });
  return demo;
}

/** For a waitFor check: throws a fatal error once the demo has exited (waiting for it to listen cannot help). */
export function assertDemoRunning(demo) {
  if (demo.exit !== undefined) throw fatal(`${demo.name} exited (${demo.exit}) before it listened:\n${demo.stderr}`);
}
