import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { InstanceStatus } from '../../../../src/app/instance.js';
import type { StatusReport } from '../../../../src/app/status-report.js';
import { renderStatus } from '../../../../src/cli/render/status-table.js';

const now = 1_000_000;
const instance = (over: Partial<InstanceStatus>): InstanceStatus => ({
  name: 'app-1',
  group: 'app',
  index: 1,
  pid: 10,
  port: 4001,
  extraPorts: [],
  state: 'ready',
  desired: 'running',
  inBalancer: true,
  restarts: 0,
  crashesInARow: 0,
  startedAt: now - 65_000,
  readyAt: now - 60_000,
  nextRestartAt: null,
  lastExit: null,
  ...over,
});
const report = (instances: InstanceStatus[], confirmed: boolean | null = true): StatusReport => ({
  url: 'http://127.0.0.1:3000',
  dynamicConfigPath: '/x/.lb-dev/traefik/dynamic/lb-dev.yaml',
  stateDir: '/x/.lb-dev',
  pid: 1,
  startedAt: 0,
  dashboardUrl: null,
  usingDemoApp: true,
  traefik: {
    mode: 'docker',
    configuredMode: 'auto',
    why: 'Docker engine at /var/run/docker.sock answers and image traefik:v3.6 is present',
    apiUrl: 'http://127.0.0.1:8080',
    description: 'traefik:v3.6 in Docker',
  },
  routes: { written: ['app-1'], writtenAt: 0, confirmed, confirmMs: 42, problem: confirmed === false ? 'did not show' : null, writes: 1 },
  instances,
  metricsUrl: null,
  prometheusUrl: null,
  parts: [],
});

describe('renderStatus', () => {
  it('shows one row per instance with state, balancer membership, port, pid, uptime and restarts', () => {
    const text = renderStatus(
      report([
        instance({}),
        instance({ name: 'app-2', index: 2, pid: null, port: 4002, state: 'crashed', inBalancer: false, restarts: 3, nextRestartAt: now + 4_000 }),
      ]),
      now,
    );
    assert.match(text, /balancer\s+http:\/\/127\.0\.0\.1:3000/);
    assert.match(text, /live in Traefik \(42ms\)/);
    assert.match(text, /app-1\s+ready\s+in\s+4001\s+10\s+1m05s\s+0/);
    assert.match(text, /app-2\s+crashed \(restart in 4s\)\s+out\s+4002\s+-\s+-\s+3/);
    assert.doesNotMatch(text, /REQUESTS/);
    assert.doesNotMatch(text, /metrics/);
  });
  it('names the metrics endpoint and the Prometheus of --monitoring when there are', () => {
    const text = renderStatus({ ...report([instance({})]), metricsUrl: 'http://127.0.0.1:4100/metrics', prometheusUrl: 'http://127.0.0.1:4200' }, now);
    assert.match(text, /^metrics {3}http:\/\/127\.0\.0\.1:4100\/metrics {3}\(Prometheus: http:\/\/127\.0\.0\.1:4200\)$/m);
  });
  it('adds a REQUESTS column when counts are known, and says when Traefik did not confirm', () => {
    const text = renderStatus(report([instance({ requests: 17 })], false), now);
    assert.match(text, /REQUESTS/);
    assert.match(text, /app-1\s+ready\s+in\s+4001\s+10\s+1m05s\s+0\s+17/);
    assert.match(text, /NOT CONFIRMED: did not show/);
  });
  it('says why an instance could not start, under the table', () => {
    const reason = 'ENOENT: the working directory /gone does not exist';
    const text = renderStatus(
      report([instance({ pid: null, state: 'stopped', desired: 'stopped', inBalancer: false, lastExit: { code: 127, signal: null, at: now, reason } })]),
      now,
    );
    assert.match(text, /app-1\s+stopped \(could not start\)/);
    assert.match(text, /app-1: could not start: ENOENT: the working directory \/gone does not exist/);
  });

  it("prints a run's warning (it listens on another port) under the table", () => {
    const warning = 'app-1 listens on 5173, not 4001: this dev server ignores PORT; pass {port} in the command; see docs/frameworks.md#vite';
    const text = renderStatus(report([instance({ state: 'starting', inBalancer: false, warning })]), now);
    assert.ok(text.split('\n').includes(warning), text);
  });

  it('shows how each instance last ended (the exit code or signal --json has) beside its restarts', () => {
    const text = renderStatus(
      report([
        instance({ restarts: 2, lastExit: { code: null, signal: 'SIGKILL', at: now - 70_000 } }),
        instance({
          name: 'app-2',
          index: 2,
          pid: null,
          port: 4002,
          state: 'crashed',
          inBalancer: false,
          restarts: 3,
          nextRestartAt: now + 4_000,
          lastExit: { code: 1, signal: null, at: now },
        }),
        instance({ name: 'app-3', index: 3 }),
      ]),
      now,
    );
    assert.match(text, /app-1\s+ready\s+in\s+4001\s+10\s+1m05s\s+2 \(SIGKILL\)$/m);
    assert.match(text, /app-2\s+crashed \(restart in 4s\)\s+out\s+4002\s+-\s+-\s+3 \(exit 1\)$/m);
    assert.match(text, /app-3\s+ready\s+in\s+4001\s+10\s+1m05s\s+0$/m);
  });

  it('keeps the table within 80 columns with 7-digit pids, a crashed instance and a signal', () => {
    const text = renderStatus(
      report([
        instance({ name: 'app-10', pid: 4_194_303, port: 41234, startedAt: now - 3_700_000, restarts: 12, lastExit: { code: null, signal: 'SIGTERM', at: 0 } }),
        instance({
          name: 'app-11',
          pid: null,
          port: 41235,
          state: 'crashed',
          inBalancer: false,
          restarts: 3,
          nextRestartAt: now + 9_000,
          lastExit: { code: 137, signal: null, at: 0 },
        }),
      ]),
      now,
    );
    const table = text.slice(text.indexOf('INSTANCE'));
    for (const line of table.split('\n')) assert.ok(line.length <= 80, `${line.length} columns: ${JSON.stringify(line)}`);
  });
});
