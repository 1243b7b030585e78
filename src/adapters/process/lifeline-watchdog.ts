/**
 * The lifeline watchdog: a tiny process that `lb-dev up` starts in a session of its own.
 * Usage: node lifeline-watchdog.js <stateDir>. It reads lifeline messages (src/core/lifeline.ts)
 * on stdin, a pipe from `up`. When that pipe closes without a `release` - `up` was killed,
 * SIGKILL included - it SIGKILLs the recorded process trees and removes the recorded Docker
 * containers, then exits. After a `release` it just exits. It never outlives the pipe.
 */
import { applyLifelineMessage, emptyRecord, parseLifelineMessage, planKills } from '../../core/lifeline.js';
import { isRunning, listProcesses } from './proc.js';

/** Docker may hang (a paused engine): the watchdog gives up rather than linger. */
const DOCKER_DEADLINE_MS = 20_000;

const stateDir = process.argv[2] ?? '';
const record = emptyRecord();

function report(message: string): void {
  process.stderr.write(`${new Date().toISOString()} lifeline ${process.pid}: ${message}\n`);
}

function kill(target: number): boolean {
  try {
    process.kill(target, 'SIGKILL');
    return true;
  } catch {
    return false; // gone already
  }
}

async function killProcesses(): Promise<void> {
  // A zombie is already dead: nothing to kill, and its pid is not reusable until reaped.
  const table = (await listProcesses())?.filter(isRunning) ?? null;
  const plan = planKills(record, table, process.pid);
  for (const skipped of plan.skipped) report(`left group ${skipped.pgid} alone: ${skipped.reason}`);
  const groups = plan.groups.filter((pgid) => kill(-pgid));
  const pids = plan.pids.filter((pid) => kill(pid));
  if (groups.length || pids.length) report(`SIGKILLed process groups [${groups.join(', ')}] and descendants [${pids.join(', ')}]`);
}

type DockerModule = typeof import('../traefik/docker.js');
let dockerModule: Promise<DockerModule> | null = null;
let engine: Promise<import('../traefik/docker.js').DockerEngine> | null = null;

/**
 * Loads dockerode and connects as soon as a container is registered, not once `up` is gone:
 * loading alone takes ~0.8 s on a busy machine, which would eat most of the 2 s in which the
 * ports must be free again. A failed connection is retried at cleanup.
 */
function connect(): Promise<import('../traefik/docker.js').DockerEngine> {
  dockerModule ??= import('../traefik/docker.js');
  engine ??= dockerModule.then((m) => m.connectDocker()).catch((error: unknown) => {
    engine = null;
    throw error;
  });
  return engine;
}

const statusOf = (error: unknown) => (error as { statusCode?: number }).statusCode;

async function removeContainers(): Promise<void> {
  if (!record.usedDocker) return; // dockerode is loaded only when a container was registered
  const docker = (await connect()).docker;
  await Promise.all([...record.containers].map(async (id) => {
    const container = docker.getContainer(id);
    // SIGKILL first: that frees the ports at once; the removal takes longer.
    await container.kill({ signal: 'SIGKILL' }).catch(() => undefined);
    try {
      await container.remove({ force: true, v: true });
      report(`removed container ${id}`);
    } catch (error) {
      if (statusOf(error) !== 404 && statusOf(error) !== 409) report(`could not remove container ${id}: ${(error as Error).message}`);
    }
  }));
  // Also one that `up` created but had not registered yet when it died.
  if (stateDir) {
    const { managedLabels } = await dockerModule!;
    const removed = await (await connect()).removeLabelledContainers(managedLabels(stateDir));
    if (removed.length) report(`removed labelled containers ${removed.join(', ')}`);
  }
}

async function cleanUp(): Promise<void> {
  report('lb-dev is gone without a clean shutdown: cleaning up');
  await killProcesses();
  const deadline = setTimeout(() => {
    report(`Docker did not answer within ${DOCKER_DEADLINE_MS} ms; giving up`);
    process.exit(1);
  }, DOCKER_DEADLINE_MS);
  try {
    await removeContainers();
  } catch (error) {
    report(`container cleanup failed: ${(error as Error).message}`);
  }
  clearTimeout(deadline);
}

let partial = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (text: string) => {
  const lines = (partial + text).split('\n');
  partial = lines.pop() ?? '';
  for (const line of lines) {
    const message = parseLifelineMessage(line);
    if (message?.op === 'watch-container') connect().catch(() => undefined);
    if (message) applyLifelineMessage(record, message);
    else if (line.trim()) report(`ignored a line that is not a lifeline message: ${line.slice(0, 200)}`);
  }
});
// 'end' on EOF, 'error' if the pipe breaks: either way `up` is gone.
let finishing = false;
const finish = () => {
  if (finishing) return;
  finishing = true;
  if (record.released) process.exit(0);
  void cleanUp().finally(() => process.exit(0));
};
process.stdin.on('end', finish);
process.stdin.on('error', finish);
// A terminal's Ctrl-C or a group kill aimed at `up` never reaches this session; a stray
// SIGINT/SIGTERM/SIGHUP sent here directly must not cut the cleanup short either.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => report(`ignored ${signal}`));
process.stdout.write('ready\n');
