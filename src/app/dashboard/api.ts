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
import type { ChaosEvent } from '../chaos.js';
import type { Data, InstanceOperations, Stream } from '../operations/contract.js';
import { invoke } from '../operations/invoke.js';
import { parseChaosParams, wholeIn } from '../operations/params.js';
import { cookieValue, serverForCookie } from '../../core/dashboard/sticky.js';
import { ansiToHtml } from '../../core/text/ansi-html.js';
import { serverUrl } from '../../core/traefik/dynamic-config.js';
import { traefikStickyValue } from '../../adapters/traefik/sticky-value.js';
import { checkFields, refuse } from '../../dashboard/guard.js';
import type { DashboardServer, RouteRequest } from '../../dashboard/server.js';
import type { Supervisor } from '../supervisor.js';
import type { ChaosSwitch } from './chaos-switch.js';
import type { DashboardFeed } from './feed.js';

export interface DashboardApiDeps {
  feed: DashboardFeed;
  /** The control operations (src/app/operations.ts): kill, stop, start, restart, scale, logs. */
  operations: InstanceOperations;
  chaos: ChaosSwitch;
  supervisor: Supervisor;
  stickyCookie: string | null;
  backendHost: string;
}

const MAX_LOG_LINES = 2_000;

/** An HTTP response as an operation's stream: closed when the client goes. */
function streamOf<D>(request: RouteRequest, send: (data: D) => boolean = () => false, buffered = () => 0): Stream<D> {
  const closed = new Promise<void>((resolve) => request.res.once('close', () => resolve()));
  return { send, closed, buffered };
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

export function chaosEventText(event: ChaosEvent): string {
  switch (event.event) {
    case 'start':
      return `chaos on: one ${event.signal} every ${event.interval / 1000}s, keeping ${event.keep} ready`;
    case 'kill':
      return `chaos killed ${event.instance} (pid ${event.pid}); ${event.ready - 1} of ${event.total} still ready`;
    case 'skip':
      return `chaos skipped: ${event.reason}`;
    case 'stop':
      return `chaos off after ${event.kills} kill(s)`;
  }
}

export function addDashboardApi(server: DashboardServer, deps: DashboardApiDeps): void {
  const { feed, operations } = deps;
  // The body is the operation's params, checked by the same validator as on the control socket.
  const action = (name: 'kill' | 'stop' | 'start' | 'restart' | 'scale') => {
    server.route(`/api/${name}`, {
      method: 'POST',
      auth: 'token',
      handle: async (request) => {
        // A kill from here is the dashboard's, whatever the body says (an object body: else the validator refuses it).
        const body = name === 'kill' && isObject(request.body) ? { ...request.body, by: 'dashboard' } : request.body;
        const result = await invoke(operations, name, body, streamOf(request));
        feed.pushState();
        return { result };
      },
    });
  };
  for (const name of ['kill', 'stop', 'start', 'restart', 'scale'] as const) action(name);

  // `on` picks the switch's position (the route's own field); the rest are the loop's settings.
  server.route('/api/chaos', {
    method: 'POST',
    auth: 'token',
    handle: async ({ body }) => {
      const { on, ...settings } = body;
      if (typeof on !== 'boolean')
        throw refuse(400, 'DASHBOARD_BAD_REQUEST', `POST /api/chaos: expected "on" to be true or false, got ${JSON.stringify(on ?? null)}`);
      const options = parseChaosParams(settings);
      if (on) await deps.chaos.on(options);
      else await deps.chaos.off();
      feed.pushState();
      return { chaos: deps.chaos.status() };
    },
  });

  addFeedRoutes(server, deps);
  addStickyRoutes(server, deps);
}

/** The state, its live feed and an instance's log lines: what the page reads. */
function addFeedRoutes(server: DashboardServer, deps: DashboardApiDeps): void {
  const { feed, operations } = deps;
  server.route('/api/state', { method: 'GET', auth: 'token', handle: async () => ({ state: feed.state(), timeline: feed.timeline() }) });

  // The state and each timeline event as they happen; starts with a full snapshot.
  server.route('/api/events', {
    method: 'GET',
    auth: 'token',
    handle: async ({ openStream }) => {
      const stream = openStream();
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
      const stream = request.openStream();
      const send = (data: Data<'logs'>) =>
        'line' in data
          ? stream.send({ time: data.line.time, stream: data.line.stream, html: ansiToHtml(data.line.text) })
          : stream.send({ dropped: data.dropped });
      await invoke(
        operations,
        'logs',
        { sources: [name], lines, follow: true },
        streamOf(request, send, () => stream.buffered()),
      );
    },
  });
}

/** Which instance the sticky cookie pins this browser to, and dropping it. */
function addStickyRoutes(server: DashboardServer, deps: DashboardApiDeps): void {
  server.route('/api/sticky', {
    method: 'GET',
    auth: 'token',
    handle: async ({ req }) => {
      if (deps.stickyCookie === null) return { cookie: null, value: null, instance: null };
      const value = cookieValue(req.headers.cookie, deps.stickyCookie);
      const servers = deps.supervisor
        .instances()
        .filter((i) => i.port !== null)
        .map((i) => ({ name: i.name, url: serverUrl(deps.backendHost, i.port!) }));
      return { cookie: deps.stickyCookie, value, instance: value === null ? null : (serverForCookie(value, servers, traefikStickyValue)?.name ?? null) };
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
