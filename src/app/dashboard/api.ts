/**
 * The dashboard's API on its HTTP server: the live state and logs (SSE), the actions - each
 * one the same control operation the CLI calls (src/app/operations.ts), in-process - chaos
 * on/off, and the "which instance am I on" panel.
 *
 * That panel works because cookies are scoped by host, not by port (RFC 6265 section 8.5):
 * the sticky cookie Traefik set for 127.0.0.1:<balancer port> is sent to the dashboard on
 * 127.0.0.1:<dashboard port> too, so the server reads it from the request (it is HttpOnly:
 * the page's script cannot), and it can clear it for the balancer by clearing it here.
 */
import { type ChaosEvent } from '../chaos.js';
import { parseSignal } from '../operations.js';
import { cookieValue, serverForCookie } from '../../core/dashboard/sticky.js';
import { LbDevError } from '../../core/errors.js';
import { ansiToHtml } from '../../core/text/ansi-html.js';
import { serverUrl } from '../../core/traefik/dynamic-config.js';
import type { LogLine } from '../../adapters/logs/log-line.js';
import { traefikStickyValue } from '../../adapters/traefik/sticky-value.js';
import type { Handler, RequestContext } from '../../control/server.js';
import { type FieldType, checkFields, refuse } from '../../dashboard/guard.js';
import type { DashboardServer, RouteRequest } from '../../dashboard/server.js';
import { SseStream } from '../../dashboard/sse.js';
import type { Supervisor } from '../supervisor.js';
import type { ChaosSwitch } from './chaos-switch.js';
import type { DashboardFeed } from './feed.js';

export interface DashboardApiDeps {
  feed: DashboardFeed;
  /** The control operations (operationHandlers): kill, stop, start, restart, scale, logs. */
  operations: Record<string, Handler>;
  chaos: ChaosSwitch;
  supervisor: Supervisor;
  stickyCookie: string | null;
  backendHost: string;
}

const MAX_LOG_LINES = 2_000;

/** An HTTP request as a control request: the same handler, the same validation. */
function asControlRequest(request: RouteRequest, params: Record<string, unknown>, send: (data: unknown) => boolean = () => true, buffered = () => 0): RequestContext {
  const closed = new Promise<void>((resolve) => request.res.once('close', () => resolve()));
  return { params, send, closed, buffered };
}

export function chaosEventText(event: ChaosEvent): string {
  switch (event.event) {
    case 'start': return `chaos on: one ${event.signal} every ${event.interval / 1000}s, keeping ${event.keep} ready`;
    case 'kill': return `chaos killed ${event.instance} (pid ${event.pid}); ${event.ready - 1} of ${event.total} still ready`;
    case 'skip': return `chaos skipped: ${event.reason}`;
    case 'stop': return `chaos off after ${event.kills} kill(s)`;
  }
}

function wholeIn(what: string, value: unknown, min: number, max: number, fallback: number): number {
  if (value === undefined || value === null) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new LbDevError('USAGE', `${what}: expected a whole number from ${min} to ${max}, got ${JSON.stringify(value)}`);
  }
  return value;
}

export function addDashboardApi(server: DashboardServer, deps: DashboardApiDeps): void {
  const { feed, operations } = deps;
  const action = (name: string, fields: Record<string, FieldType>) => {
    server.route(`/api/${name}`, {
      method: 'POST',
      auth: 'token',
      handle: async (request) => {
        checkFields(`POST /api/${name}`, request.body, fields);
        const result = await operations[name]!(asControlRequest(request, request.body));
        feed.pushState();
        return { result };
      },
    });
  };
  action('kill', { instance: 'string', signal: 'string' });
  action('stop', { instance: 'string' });
  action('start', { instance: 'string' });
  action('restart', { instance: 'string', all: 'boolean', rolling: 'boolean', drainMs: 'number' });
  action('scale', { group: 'string', count: 'number' });

  server.route('/api/chaos', {
    method: 'POST',
    auth: 'token',
    handle: async ({ body }) => {
      checkFields('POST /api/chaos', body, { on: 'boolean', intervalMs: 'number', keep: 'number', signal: 'string' });
      if (typeof body.on !== 'boolean') throw refuse(400, 'DASHBOARD_BAD_REQUEST', `POST /api/chaos: expected "on" to be true or false, got ${JSON.stringify(body.on ?? null)}`);
      if (body.on) {
        await deps.chaos.on({
          intervalMs: wholeIn('intervalMs', body.intervalMs, 100, 3_600_000, 10_000),
          keep: wholeIn('keep', body.keep, 0, 64, 1),
          signal: parseSignal(body.signal, 'SIGKILL'),
        });
      } else {
        await deps.chaos.off();
      }
      feed.pushState();
      return { chaos: deps.chaos.status() };
    },
  });

  server.route('/api/state', { method: 'GET', auth: 'token', handle: async () => ({ state: feed.state(), timeline: feed.timeline() }) });

  // The state and each timeline event as they happen; starts with a full snapshot.
  server.route('/api/events', {
    method: 'GET',
    auth: 'token',
    handle: async ({ res }) => {
      const stream = new SseStream(res);
      stream.send({ type: 'hello', state: feed.state(), timeline: feed.timeline() });
      const off = feed.subscribe((message) => stream.send(message));
      await stream.closed;
      off();
    },
  });

  // `lb-dev logs -f -n <lines> <instance>`: the control operation, its lines rendered to HTML.
  server.route('/api/logs', {
    method: 'GET',
    auth: 'token',
    handle: async (request) => {
      const source = request.url.searchParams.get('source');
      if (!source) throw refuse(400, 'DASHBOARD_BAD_REQUEST', 'GET /api/logs: expected ?source=<instance>, got none');
      const lines = wholeIn('lines', Number(request.url.searchParams.get('lines') ?? 200), 0, MAX_LOG_LINES, 200);
      // Resolves the name first, so that an unknown one is a 404 answer rather than an empty stream.
      const name = source === 'traefik' || source === 'lb-dev' ? source : deps.supervisor.find(source).name;
      const stream = new SseStream(request.res);
      const send = (data: unknown) => {
        const { line, dropped } = data as { line?: LogLine; dropped?: number };
        if (line) return stream.send({ time: line.time, stream: line.stream, html: ansiToHtml(line.text) });
        return stream.send({ dropped });
      };
      await operations.logs!(asControlRequest(request, { sources: [name], lines, follow: true }, send, () => stream.buffered()));
    },
  });

  server.route('/api/sticky', {
    method: 'GET',
    auth: 'token',
    handle: async ({ req }) => {
      if (deps.stickyCookie === null) return { cookie: null, value: null, instance: null };
      const value = cookieValue(req.headers.cookie, deps.stickyCookie);
      const servers = deps.supervisor.instances().filter((i) => i.port !== null).map((i) => ({ name: i.name, url: serverUrl(deps.backendHost, i.port!) }));
      return { cookie: deps.stickyCookie, value, instance: value === null ? null : serverForCookie(value, servers, traefikStickyValue)?.name ?? null };
    },
  });

  server.route('/api/sticky/drop', {
    method: 'POST',
    auth: 'token',
    handle: async ({ res, body }) => {
      checkFields('POST /api/sticky/drop', body, {});
      if (deps.stickyCookie !== null) res.setHeader('set-cookie', `${deps.stickyCookie}=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax`);
      return { dropped: deps.stickyCookie };
    },
  });
}
