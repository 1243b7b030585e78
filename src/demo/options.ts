/**
 * The demo app's settings, read from its environment. Pure: returns a message instead
 * of exiting, so server.ts decides what a bad value does (exit 2).
 */

export interface DemoOptions {
  port: number;
  host: string;
  /** LB_DEV_INSTANCE, shown in every answer so the balancer's choice is visible. */
  instance: string;
  /** Wait before listening, like a slow dev build. */
  startDelayMs: number;
  /** Exit 1 this long after becoming ready; null = never. */
  crashAfterMs: number | null;
  /** Printed once listening (`{port}` and `{instance}` filled in); '' prints nothing. */
  readyLine: string;
  /** On SIGTERM, how long in-flight requests may finish before connections are cut. */
  stopGraceMs: number;
}

export type DemoOptionsResult = { ok: true; options: DemoOptions } | { ok: false; message: string };

const DEFAULT_READY_LINE = 'SERVER RUNNING on port {port}';
const DEFAULT_STOP_GRACE_MS = 3000;

export function readDemoOptions(env: NodeJS.ProcessEnv): DemoOptionsResult {
  const rawPort = env.PORT;
  if (rawPort === undefined || rawPort.trim() === '') {
    return { ok: false, message: 'PORT is not set: the demo app needs the port to listen on (lb-dev sets it; by hand: PORT=3000 node dist/demo/server.js).' };
  }
  const port = Number(rawPort.trim());
  if (!/^\d+$/.test(rawPort.trim()) || port < 1 || port > 65535) {
    return { ok: false, message: `PORT must be a whole number from 1 to 65535, got "${rawPort}".` };
  }

  const errors: string[] = [];
  const milliseconds = (name: string, fallback: number | null): number | null => {
    const raw = env[name];
    if (raw === undefined || raw.trim() === '') return fallback;
    if (!/^\d+$/.test(raw.trim())) {
      errors.push(`${name} must be a whole number of milliseconds (e.g. 5000), got "${raw}".`);
      return fallback;
    }
    return Number(raw.trim());
  };
  const startDelayMs = milliseconds('DEMO_START_DELAY', 0) ?? 0;
  const crashAfterMs = milliseconds('DEMO_CRASH_AFTER', null);
  const stopGraceMs = milliseconds('DEMO_STOP_GRACE', DEFAULT_STOP_GRACE_MS) ?? DEFAULT_STOP_GRACE_MS;
  if (errors.length > 0) return { ok: false, message: errors.join('\n') };

  const instance = env.LB_DEV_INSTANCE?.trim() || 'demo';
  const template = env.DEMO_READY_LINE ?? DEFAULT_READY_LINE;
  const readyLine = template.replaceAll('{port}', String(port)).replaceAll('{instance}', instance);
  return {
    ok: true,
    options: {
      port,
      host: env.HOST?.trim() || '127.0.0.1',
      instance,
      startDelayMs,
      crashAfterMs,
      readyLine,
      stopGraceMs,
    },
  };
}
