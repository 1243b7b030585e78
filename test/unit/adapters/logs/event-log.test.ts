import assert from 'node:assert/strict';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { EventLog } from '../../../../src/adapters/logs/event-log.js';
import { LogHub } from '../../../../src/adapters/logs/log-hub.js';

const dirs: string[] = [];
after(() => Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true }))));

async function hubWithEventLog() {
  const dir = await mkdtemp(join(tmpdir(), 'lbdt-events-'));
  dirs.push(dir);
  const file = join(dir, 'logs', 'lb-dev.jsonl');
  const events = new EventLog(file);
  const hub = new LogHub({
    dir: join(dir, 'logs'),
    maxFileBytes: 1 << 20,
    maxFiles: 2,
    ringBufferLines: 100,
    onEvent: (line, detail) => events.record(line, detail),
  });
  const log = events.supervisorLogger((source, text, detail) => hub.event(source, text, detail));
  const records = async () =>
    (await readFile(file, 'utf8'))
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  return { dir, file, hub, log, records };
}

describe('EventLog', () => {
  it("writes every event line of every source as JSON, with lb-dev's fields and levels; output lines are not events", async () => {
    const { hub, log, records } = await hubWithEventLog();
    log.info({ servers: ['app-1'], ms: 3 }, 'routes -> [app-1]');
    hub.event('app-2', 'exited with code 1');
    hub.append('app-2', 'stdout', 'GET / 200');
    log.warn('the dashboard port is taken');
    const written = await records();
    assert.deepEqual(
      written.map((r) => [r['source'], r['level'], r['msg']]),
      [
        ['lb-dev', 30, 'routes -> [app-1]'],
        ['app-2', 30, 'exited with code 1'],
        ['lb-dev', 40, 'the dashboard port is taken'],
      ],
    );
    assert.deepEqual(written[0]!['servers'], ['app-1']);
    assert.equal(written[0]!['pid'], process.pid);
    // The same events as text, in the hub: lb-dev's own under source lb-dev.
    assert.deepEqual(
      hub.recent(['lb-dev'], 10).map((l) => l.text),
      ['routes -> [app-1]', 'the dashboard port is taken'],
    );
  });

  it('debug messages go to the JSON file only; nothing is opened before the first event', async () => {
    const { dir, hub, log, records } = await hubWithEventLog();
    assert.deepEqual(await readdir(dir), []);
    log.debug({ code: 'PORT_IN_USE' }, 'start-up failed');
    assert.deepEqual(hub.recent(null, 10), []);
    const [record] = await records();
    assert.equal(record!['level'], 20);
    assert.equal(record!['code'], 'PORT_IN_USE');
  });
});
