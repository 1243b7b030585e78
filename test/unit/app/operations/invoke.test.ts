// invoke (src/app/operations/invoke.ts), the one way into the operations, behind both doors -
// the control socket and the dashboard's HTTP API - over one set of operations on a real
// Supervisor: the same bad params get the same coded error and message (one validator), and
// an error from the operation itself is the same on both too.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { LogHub } from '../../../../src/adapters/logs/log-hub.js';
import { type RunningDashboard, startDashboard } from '../../../../src/app/dashboard/start.js';
import { createOperations } from '../../../../src/app/operations.js';
import type { StatusReport } from '../../../../src/app/status-report.js';
import type { Supervisor } from '../../../../src/app/supervisor.js';
import { ControlClient } from '../../../../src/control/client.js';
import { operationRoutes } from '../../../../src/control/dispatch.js';
import { OperationsClient } from '../../../../src/control/operations-client.js';
import { ControlServer } from '../../../../src/control/server.js';
import { isLbDevError } from '../../../../src/core/errors.js';
import { freePort } from '../../../helpers/http.js';
import { cleanupSupervisors, makeSupervisor } from '../../../helpers/supervisor.js';

let supervisor: Supervisor;
let logs: LogHub;
let control: ControlServer;
let client: ControlClient;
let dashboard: RunningDashboard;
let dir: string;

before(async () => {
  ({ supervisor } = await makeSupervisor(2));
  dir = await mkdtemp(join(tmpdir(), 'lbdt-doors-'));
  logs = new LogHub({ dir: join(dir, 'logs'), maxFileBytes: 1 << 20, maxFiles: 2, ringBufferLines: 100 });
  const operations = createOperations({
    supervisor: () => supervisor,
    logs,
    maxLogFiles: 2,
    requestShutdown: () => undefined,
    status: () => ({ instances: supervisor.status() }) as StatusReport,
  });
  control = new ControlServer(join(dir, 'control.sock'), operationRoutes(operations));
  await control.listen();
  client = await ControlClient.connect(join(dir, 'control.sock'), dir);
  dashboard = await startDashboard({
    port: await freePort(),
    supervisor,
    operations,
    requests: () => null,
    backendHost: '127.0.0.1',
    balancerUrl: 'http://127.0.0.1:1',
    stickyCookie: null,
  });
});

after(async () => {
  client.close();
  await dashboard.close();
  await control.close();
  await logs.close();
  await cleanupSupervisors();
  await rm(dir, { recursive: true, force: true });
});

async function overSocket(method: string, params: Record<string, unknown>): Promise<{ code: string; message: string }> {
  try {
    await client.call(method, params);
  } catch (error) {
    if (isLbDevError(error)) return { code: error.code, message: error.message };
    throw error;
  }
  throw new Error(`${method} ${JSON.stringify(params)} succeeded on the socket`);
}

async function overHttp(method: string, params: Record<string, unknown>): Promise<{ status: number; code: string; message: string }> {
  const url = new URL(dashboard.url);
  const res = await fetch(`${url.origin}/api/${method}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-lb-dev-token': url.searchParams.get('token')! },
    body: JSON.stringify(params),
  });
  const body = (await res.json()) as { error?: { code: string; message: string } };
  if (!body.error) throw new Error(`${method} ${JSON.stringify(params)} succeeded on the dashboard: ${JSON.stringify(body)}`);
  return { status: res.status, ...body.error };
}

const cases: Array<[string, Record<string, unknown>, string, number]> = [
  ['kill', {}, 'USAGE', 400],
  ['kill', { instance: 3 }, 'USAGE', 400],
  ['kill', { instance: 'app-1', signal: 'SIGNOPE' }, 'USAGE', 400],
  ['kill', { instance: 'app-1', random: 'yes' }, 'USAGE', 400],
  ['stop', { instance: '' }, 'USAGE', 400],
  ['stop', { instance: 'app-1', force: true }, 'USAGE', 400],
  ['start', { instance: 'app-1', wait: 'no' }, 'USAGE', 400],
  ['restart', { all: true, drainMs: -5 }, 'USAGE', 400],
  ['scale', { count: '3' }, 'USAGE', 400],
  ['scale', { count: 65 }, 'USAGE', 400],
  // From the operation itself, not its params: the same on both doors too.
  ['stop', { instance: 'app-9' }, 'INSTANCE_NOT_FOUND', 404],
  ['kill', { instance: '1' }, 'INSTANCE_NOT_RUNNING', 500],
  ['scale', { count: 1, group: 'nope' }, 'INSTANCE_NOT_FOUND', 404],
];

describe('the socket and the dashboard', () => {
  for (const [method, params, code, status] of cases) {
    it(`${method} ${JSON.stringify(params)}: ${code} on both, with the same message`, async () => {
      const [socket, http] = await Promise.all([overSocket(method, params), overHttp(method, params)]);
      assert.equal(socket.code, code, socket.message);
      assert.deepEqual({ code: http.code, message: http.message }, socket);
      assert.equal(http.status, status);
    });
  }

  it('refused params changed nothing: no instance was started', () => {
    assert.deepEqual(
      supervisor.status().map((i) => [i.name, i.state]),
      [
        ['app-1', 'stopped'],
        ['app-2', 'stopped'],
      ],
    );
  });
});

describe("the CLI's typed client", () => {
  it('calls an operation and follows a stream to its result', async () => {
    const typed = await OperationsClient.connect(join(dir, 'control.sock'), dir);
    try {
      const report = await typed.call('status');
      assert.deepEqual(
        report.instances.map((i) => i.name),
        ['app-1', 'app-2'],
      );
      logs.event('app-2', 'hello from the test');
      const lines: string[] = [];
      const result = await typed.stream('logs', { sources: ['2'], lines: 10 }, (data) => {
        if ('line' in data) lines.push(`${data.line.source}: ${data.line.text}`);
      });
      assert.deepEqual(result, { lines: lines.length });
      assert.ok(lines.includes('app-2: hello from the test'), JSON.stringify(lines));
      await assert.rejects(typed.call('scale', { count: -1 }), (error: unknown) => isLbDevError(error) && error.code === 'USAGE');
    } finally {
      typed.close();
    }
  });
});
