// The lifeline removes a registered Traefik container when the stand-in for `up` is SIGKILLed
// (the reaper loads dockerode only then, after the process groups are dead).
// Needs Docker and the Traefik image: skipped without them, required with LB_DEV_E2E_REQUIRED=1.
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { connectDocker, managedLabels } from '../../../../src/adapters/traefik/docker.js';
import { e2eGate, traefikImage } from '../../../helpers/e2e-gate.js';
import { waitUntil } from '../../../helpers/lb-dev/index.js';
import { startParent } from './lifeline-parent.js';

const gate = await e2eGate();
const cleanups: Array<() => unknown> = [];
after(async () => {
  for (const c of cleanups.reverse()) await c();
});

test('SIGKILL of the stand-in for `up`: its labelled container is removed within a few seconds', { skip: gate.skip || false }, async () => {
  const dir = await mkdtemp(join(tmpdir(), 'lbdl-docker-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  const engine = await connectDocker();
  const container = await engine.docker.createContainer({ Image: traefikImage(), Labels: managedLabels(dir), HostConfig: { AutoRemove: false } });
  cleanups.push(() => container.remove({ force: true }).catch(() => undefined));
  await container.start();
  const { parent } = await startParent(dir, cleanups, container.id);
  const exited = new Promise((resolve) => parent.once('exit', resolve));
  parent.kill('SIGKILL');
  await exited;
  const gone = async () => {
    try {
      await container.inspect();
      return false;
    } catch (error) {
      return (error as { statusCode?: number }).statusCode === 404;
    }
  };
  const removed = await waitUntil(gone, { timeoutMs: 5_000, what: `container ${container.id} removed (see ${join(dir, 'lifeline.log')})` }).catch(
    async (error: Error) => {
      throw new Error(`${error.message}\nlifeline.log:\n${await readFile(join(dir, 'lifeline.log'), 'utf8').catch(() => '(none)')}`);
    },
  );
  assert.equal(removed, true);
  await waitUntil(
    () =>
      stat(join(dir, 'lifeline.json')).then(
        () => false,
        () => true,
      ),
    { timeoutMs: 5_000, what: 'the reaper to delete the record when done' },
  );
});
