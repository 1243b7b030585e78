// What `up` says about route changes (src/app/route-log.ts) against a Supervisor over real
// processes: the "after ... exited" figure only on the write an exit caused.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { routeLog } from '../../../src/app/route-log.js';
import { allRouted, cleanupSupervisors, makeSupervisor, until } from '../../helpers/supervisor.js';

after(cleanupSupervisors);

test('the exit figure is on the write an exit caused, once; not on a start, a drain or the shutdown', async () => {
  const { supervisor } = await makeSupervisor(2);
  const lines: string[] = [];
  const sink = { info: (text: string) => lines.push(text), debug: () => undefined, warn: () => undefined, error: () => undefined };
  const observer = routeLog(sink, { recentTraefikLines: () => [] });
  supervisor.routes.observe(observer);
  const [first, second] = supervisor.instances() as [ReturnType<typeof supervisor.find>, ReturnType<typeof supervisor.find>];
  supervisor.startAll();
  await allRouted(supervisor);
  assert.ok(lines.length > 0 && lines.every((l) => !l.includes('exited')), `start-up writes carry no figure:\n${lines.join('\n')}`);

  const before = lines.length;
  await first.signal('SIGKILL');
  await until(supervisor, () => first.phase !== 'ready');
  await supervisor.routes.flush();
  const afterExit = lines.slice(before);
  assert.match(afterExit[0] ?? '', /^routes -> \[app-2\] \(\d+ms after app-1 exited\)$/, afterExit.join('\n'));

  const beforeReturn = lines.length;
  await first.whenReady();
  await supervisor.routes.flush();
  await supervisor.retire([second], 0);
  await supervisor.stopAll();
  const later = lines.slice(beforeReturn);
  assert.ok(later.length >= 2, later.join('\n'));
  assert.ok(
    later.every((l) => !l.includes('exited')),
    `the return, the drain and the shutdown carry no figure:\n${later.join('\n')}`,
  );
});
