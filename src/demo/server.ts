/**
 * The built-in demo app lb-dev runs when no command is configured: a stand-in for
 * Rocket.Chat with the same shape (a slow start, a ready line, /api/info, a WebSocket).
 *
 *   PORT=3000 LB_DEV_INSTANCE=app-1 node dist/demo/server.js
 *
 * Env: PORT (required), LB_DEV_INSTANCE, HOST, DEMO_START_DELAY, DEMO_CRASH_AFTER,
 * DEMO_READY_LINE, DEMO_STOP_GRACE (ms). Routes: GET /, GET /api/info, GET /healthz,
 * GET /slow?ms=N, GET /status/N (answers status N, e.g. a 500 to see Traefik's passive health
 * check take the instance out), POST /crash; WebSocket echo on /websocket and /sockjs.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { formatElapsed } from '../core/text/duration.js';
import { HEALTH_CHECK_HEADER } from '../core/health-check.js';
import { readDemoOptions, type DemoOptions } from './options.js';
import { renderPage } from './page.js';
import { attachWebSocketEcho } from './websocket.js';

/** Longest /slow?ms= accepted: long enough for drain tests, short enough to end. */
const MAX_SLOW_MS = 10 * 60 * 1000;

const say = (line: string): void => {
  process.stdout.write(`${line}\n`);
};
const complain = (line: string): void => {
  process.stderr.write(`${line}\n`);
};

function main(): void {
  const result = readDemoOptions(process.env);
  if (!result.ok) {
    complain(`demo app: ${result.message}`);
    process.exit(2);
  }
  const options = result.options;
  let stopping = false;
  let startTimer: NodeJS.Timeout | null = null;
  let app: RunningDemo | null = null;

  const onSignal = (signal: NodeJS.Signals): void => {
    if (stopping) {
      // A second signal: the user wants out now.
      complain(`${signal} again: exiting now`);
      process.exit(0);
    }
    stopping = true;
    if (startTimer) clearTimeout(startTimer);
    say(`${signal}: shutting down`);
    if (!app) process.exit(0);
    app.stop();
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);

  if (options.startDelayMs > 0) {
    startTimer = waitWithProgress(options.startDelayMs, () => {
      startTimer = null;
      app = startDemo(options, () => stopping);
    });
  } else {
    app = startDemo(options, () => stopping);
  }
}

/** Prints build-like progress lines while waiting `delayMs`, then calls `then`. */
function waitWithProgress(delayMs: number, then: () => void): NodeJS.Timeout {
  const startedAt = Date.now();
  const step = Math.min(1000, Math.max(100, Math.floor(delayMs / 4)));
  say(`building... (DEMO_START_DELAY=${delayMs}ms)`);
  const progress = setInterval(() => {
    const elapsed = Date.now() - startedAt;
    say(`building... ${Math.min(99, Math.floor((elapsed / delayMs) * 100))}% (${formatElapsed(elapsed)})`);
  }, step);
  return setTimeout(() => {
    clearInterval(progress);
    then();
  }, delayMs);
}

interface RunningDemo {
  stop(): void;
}

function startDemo(options: DemoOptions, isStopping: () => boolean): RunningDemo {
  const { instance, port, host } = options;
  let readyAt = 0;
  let requests = 0;
  let crashTimer: NodeJS.Timeout | null = null;

  const server = createServer((request, response) => {
    const startedAt = Date.now();
    const url = new URL(request.url ?? '/', 'http://localhost');
    if (!isHealthCheck(request)) requests++;
    if (!isQuiet(request, url)) {
      response.on('finish', () => say(`${request.method} ${url.pathname} ${response.statusCode} ${Date.now() - startedAt}ms`));
    }
    // While stopping, tell keep-alive clients not to reuse this connection.
    if (isStopping()) response.setHeader('connection', 'close');
    route(request, response, url);
  });

  const route = (request: IncomingMessage, response: ServerResponse, url: URL): void => {
    const method = request.method ?? 'GET';
    const read = method === 'GET' || method === 'HEAD';
    switch (url.pathname) {
      case '/':
        if (!read) return reply(response, 405, 'text/plain', 'method not allowed\n');
        return reply(response, 200, 'text/html; charset=utf-8', renderPage({ instance, pid: process.pid, port }));
      case '/api/info':
        if (!read) return reply(response, 405, 'text/plain', 'method not allowed\n');
        return reply(
          response,
          200,
          'application/json',
          JSON.stringify({
            success: true,
            instance,
            pid: process.pid,
            port,
            uptimeMs: Date.now() - readyAt,
            requests,
          }),
        );
      case '/healthz':
        return reply(response, 200, 'text/plain', 'ok');
      case '/slow': {
        const ms = Number(url.searchParams.get('ms') ?? '1000');
        if (!Number.isInteger(ms) || ms < 0 || ms > MAX_SLOW_MS) {
          return reply(response, 400, 'text/plain', `ms must be a whole number from 0 to ${MAX_SLOW_MS}\n`);
        }
        const timer = setTimeout(() => reply(response, 200, 'application/json', JSON.stringify({ instance, sleptMs: ms })), ms);
        response.on('close', () => clearTimeout(timer));
        return;
      }
      case '/crash':
        if (method !== 'POST') return reply(response, 405, 'text/plain', 'POST /crash to make this instance exit 1\n');
        response.setHeader('connection', 'close');
        response.on('finish', () => {
          complain(`POST /crash: ${instance} exits with code 1 on purpose`);
          process.exit(1);
        });
        return reply(response, 200, 'application/json', JSON.stringify({ instance, crashing: true }));
      default: {
        const status = /^\/status\/(\d{3})$/.exec(url.pathname);
        if (status) {
          const code = Number(status[1]);
          if (code < 200 || code > 599) return reply(response, 400, 'text/plain', 'status must be from 200 to 599\n');
          return reply(response, code, 'application/json', JSON.stringify({ instance, status: code }));
        }
        return reply(response, 404, 'text/plain', 'not found\n');
      }
    }
  };

  const sockets = attachWebSocketEcho(server, { instance, pid: process.pid, port }, say);

  server.on('error', (error: NodeJS.ErrnoException) => {
    complain(`demo app: cannot listen on ${host}:${port}: ${error.code ?? error.message}`);
    process.exit(1);
  });

  server.listen(port, host, () => {
    readyAt = Date.now();
    say(`demo app "${instance}" (pid ${process.pid}) listening on http://${host}:${port}`);
    if (options.readyLine !== '') say(options.readyLine);
    if (options.crashAfterMs !== null) {
      crashTimer = setTimeout(() => {
        complain(`DEMO_CRASH_AFTER=${options.crashAfterMs}: ${instance} exits with code 1 on purpose`);
        process.exit(1);
      }, options.crashAfterMs);
    }
  });

  return {
    stop() {
      if (crashTimer) clearTimeout(crashTimer);
      server.close(() => process.exit(0));
      server.closeIdleConnections();
      sockets.closeAll();
      // In-flight requests get stopGraceMs; then whatever is left is cut.
      setTimeout(() => {
        server.closeAllConnections();
        sockets.terminateAll();
        process.exit(0);
      }, options.stopGraceMs).unref();
    },
  };
}

function reply(response: ServerResponse, status: number, contentType: string, body: string): void {
  response.writeHead(status, { 'content-type': contentType, 'cache-control': 'no-store' });
  response.end(body);
}

/** Probes and `?quiet` requests are not logged: one line per probe would drown the useful lines. */
function isQuiet(request: IncomingMessage, url: URL): boolean {
  return url.pathname === '/healthz' || url.searchParams.has('quiet') || isHealthCheck(request);
}

/** Traefik's active health check (it sends the header lb-dev's dynamic config asks for) or lb-dev's readiness probe: not traffic. */
function isHealthCheck(request: IncomingMessage): boolean {
  return request.headers[HEALTH_CHECK_HEADER.toLowerCase()] !== undefined || (request.headers['user-agent'] ?? '').startsWith('lb-dev-probe');
}

main();
