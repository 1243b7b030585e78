// `lb-dev up --traefik external` and instance output: readiness from a log line, and an
// instance that floods its output without holding up the others or the control socket.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { readTail } from '../../../src/adapters/logs/rotating-file.js';
import { FAST_GROUP, LbDevRun, cleanupAll, nodeFixture } from '../../helpers/lb-dev/index.js';

after(cleanupAll);

const urlOf = (port: number | null) => `http://127.0.0.1:${port}`;

test('log-pattern readiness: ready only once `SERVER RUNNING` is printed (through its ANSI codes), not when the port answers', async (t) => {
  const run = await LbDevRun.start({
    groups: {
      app: {
        command: nodeFixture('log-ready.mjs'),
        instances: 2,
        env: { READY_DELAY: '1500' },
        ...FAST_GROUP,
        readiness: { http: false, logPattern: 'SERVER RUNNING' },
      },
    },
  });
  t.after(() => run.cleanup());
  // While starting, the port answers (503) but the instance is not routed.
  const starting = await run.waitFor((r) => {
    const i = r.instances.find((x) => x.state === 'starting' && x.pid !== null);
    return i ?? null;
  }, 'an instance starting');
  let sawListeningWhileStarting = false;
  for (;;) {
    const report = await run.status();
    const i = run.instance(report, starting.name);
    if (i.state !== 'starting') break;
    assert.ok(!report.routes.written.includes(i.name), 'not routed before the log line');
    try {
      const answer = await fetch(urlOf(i.port));
      if (answer.status === 503) sawListeningWhileStarting = true;
    } catch {
      // not listening yet
    }
    await sleep(50); // deliberate: the pace of sampling the port while it starts
  }
  assert.ok(sawListeningWhileStarting, 'the port answered 503 while lb-dev still counted it as starting');
  const report = await run.waitAllReady(2);
  for (const i of report.instances) {
    const took = i.readyAt! - i.startedAt!;
    assert.ok(took >= 1_400, `${i.name} ready after ${took}ms, not before READY_DELAY`);
    assert.equal((await (await fetch(urlOf(i.port))).text()).trim(), i.name);
  }
  assert.deepEqual(await run.serverUrls(), report.instances.map((i) => urlOf(i.port)).sort());
});

test('a flooding instance does not stop the others from becoming ready, and status still answers quickly', async (t) => {
  const run = await LbDevRun.start({
    groups: {
      flood: { command: nodeFixture('flood.mjs'), instances: 1, ...FAST_GROUP },
      app: { command: nodeFixture('http-ok.mjs'), instances: 3, ...FAST_GROUP },
    },
  });
  t.after(() => run.cleanup());
  const started = Date.now();
  const report = await run.waitAllReady(4, 20_000);
  t.diagnostic(`all 4 ready ${Date.now() - started}ms after start (flood included)`);

  // Let it flood for a while, timing status answers meanwhile.
  const latencies: number[] = [];
  const until = Date.now() + 3_000;
  while (Date.now() < until) {
    const t0 = performance.now();
    const r = await run.status();
    latencies.push(performance.now() - t0);
    assert.equal(r.instances.filter((i) => i.state === 'ready').length, 4, 'everyone stays ready under the flood');
    await sleep(50); // deliberate: the pace of sampling status through the 3 s flood
  }
  latencies.sort((a, b) => a - b);
  const p50 = latencies[Math.floor(latencies.length / 2)]!;
  const max = latencies.at(-1)!;
  const rss = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${run.pid}/status`, 'utf8'))![1]) / 1024;
  const floodLog = run.layout.logsDir;
  t.diagnostic(`status under flood: ${latencies.length} calls, p50 ${p50.toFixed(1)}ms, max ${max.toFixed(1)}ms; supervisor VmRSS ${rss.toFixed(0)} MB`);
  assert.ok(max < 1_000, `status answered within 1s every time (max ${max.toFixed(0)}ms)`);
  assert.ok(rss < 400, `supervisor memory stays bounded under the flood (${rss.toFixed(0)} MB)`);
  // The flood reached lb-dev's log files and the others still answer. Read across the rotated
  // files: the flood rotates the current one every few hundred ms, so it may have just been emptied.
  const floodTail = await readTail(`${floodLog}/flood-1.log`, 3 /* logs.maxFiles' default */, 5);
  assert.match(floodTail.join('\n'), /flood flood-1 line \d+/);
  for (const i of report.instances.filter((x) => x.group === 'app')) {
    assert.equal((await (await fetch(urlOf(i.port))).text()).trim(), i.name);
  }
  const logs = await run.cli(['logs', 'app-1', '-n', '5']);
  assert.equal(logs.code, 0, logs.stderr);
  assert.match(logs.stdout, /http-ok app-1 listening/);

  run.signal('SIGINT');
  assert.equal((await run.waitExit()).code, 0, run.tail());
  assert.deepEqual(run.leftovers(), []);
});
