/**
 * The lifeline's reaper: what the watchdog's sh dead-man switch (lifeline.ts) execs once the
 * pipe from `lb-dev up` closed without a `release` - `up` was killed, SIGKILL included.
 * Usage: node lifeline-watchdog.js <stateDir> [<runId>]. It reads the record `up` kept
 * on disk (<stateDir>/lifeline.json, first renamed to lifeline.json.<pid>: a new `up` in the same
 * dir writes its own; validated: it is input from outside), SIGKILLs the recorded process trees,
 * then every process group whose members carry the run's marker (the escapees, which left the
 * trees; a newer `up` on the state dir has another run id), and only then
 * loads dockerode to kill and remove the recorded containers and any labelled for this state dir.
 * A missing or garbled record leaves the marker's sweep and the labelled one.
 * It deletes the record and exits. Its stderr is lifeline.log.
 */
import { rmSync } from 'node:fs';
import type { LifelineRecord } from '../../core/lifeline.js';
import { planKills } from '../../core/lifeline.js';
import { stopMarkedGroups } from './leftovers.js';
import { claimRecord, readRecordAt } from './lifeline-file.js';
import { runMarker } from '../../core/process-marker.js';
import { isLive } from '../../core/process-tree.js';
import { processTable } from './process-table/choose.js';

/** Docker may hang (a paused engine): the reaper gives up rather than linger. */
const DOCKER_DEADLINE_MS = 20_000;

const stateDir = process.argv[2] ?? '';
const runId = process.argv[3];

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

/** SIGKILLs the recorded trees; returns what it killed (the marker's sweep leaves those alone). */
async function killProcesses(record: LifelineRecord): Promise<{ groups: number[]; pids: number[] }> {
  // A zombie is already dead: nothing to kill, and its pid is not reusable until reaped.
  const table = (await processTable().list())?.filter(isLive) ?? null;
  const plan = planKills(record, table, process.pid);
  for (const skipped of plan.skipped) report(`left group ${skipped.pgid} alone: ${skipped.reason}`);
  const groups = plan.groups.filter((pgid) => kill(-pgid));
  const pids = plan.pids.filter((pid) => kill(pid));
  if (groups.length || pids.length) report(`SIGKILLed process groups [${groups.join(', ')}] and descendants [${pids.join(', ')}]`);
  return { groups, pids };
}

/** What the trees no longer lead to, by the run's marker (processes already killed are not counted again). */
async function killEscapees(killed: { groups: number[]; pids: number[] }): Promise<void> {
  if (!runId) return;
  const escaped = await stopMarkedGroups(runMarker(stateDir, runId), 0, undefined, killed);
  if (escaped.length) report(`SIGKILLed process groups [${escaped.map((group) => group.pgid).join(', ')}] of this run that had escaped its trees (setsid)`);
}

const statusOf = (error: unknown) => (error as { statusCode?: number }).statusCode;

/** `containers` null: no record to trust, so only the labelled sweep. */
async function removeContainers(containers: ReadonlySet<string> | null): Promise<void> {
  // Loaded here, after the processes are dead: dockerode takes most of a second to load.
  const { connectDocker, managedLabels } = await import('../traefik/docker.js');
  const engine = await connectDocker();
  await Promise.all(
    [...(containers ?? [])].map(async (id) => {
      const container = engine.docker.getContainer(id);
      // SIGKILL first: that frees the ports at once; the removal takes longer.
      await container.kill({ signal: 'SIGKILL' }).catch(() => undefined);
      try {
        await container.remove({ force: true, v: true });
        report(`removed container ${id}`);
      } catch (error) {
        if (statusOf(error) !== 404 && statusOf(error) !== 409) report(`could not remove container ${id}: ${(error as Error).message}`);
      }
    }),
  );
  // Also one that `up` created but had not recorded yet when it died.
  const removed = await engine.removeLabelledContainers(managedLabels(stateDir));
  if (removed.length) report(`removed labelled containers ${removed.join(', ')}`);
}

async function cleanUp(): Promise<void> {
  report('lb-dev is gone without a clean shutdown: cleaning up');
  const claimed = claimRecord(stateDir, process.pid);
  const read = 'problem' in claimed ? claimed : readRecordAt(claimed.path);
  const forget = () => {
    if ('path' in claimed) rmSync(claimed.path, { force: true });
  };
  if ('problem' in read) report(`no record to trust (${read.problem}): only the processes carrying the run's marker and the labelled containers are swept`);
  const killed = 'problem' in read ? { groups: [], pids: [] } : await killProcesses(read.record);
  await killEscapees(killed);
  // Docker only when the run used it (dockerode is not loaded otherwise), or when unknown.
  if ('problem' in read || read.record.usedDocker) {
    const deadline = setTimeout(() => {
      report(`Docker did not answer within ${DOCKER_DEADLINE_MS} ms; giving up`);
      forget();
      process.exit(1);
    }, DOCKER_DEADLINE_MS);
    try {
      await removeContainers('problem' in read ? null : read.record.containers);
    } catch (error) {
      report(`container cleanup failed: ${(error as Error).message}`);
    }
    clearTimeout(deadline);
  }
  forget();
}

// `up`'s terminal and process group are not this session's; a stray SIGINT/SIGTERM/SIGHUP
// sent here directly must not cut the cleanup short.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => report(`ignored ${signal}`));
if (!stateDir) {
  report('expected the state dir as the argument, got none: nothing to clean');
  process.exit(1);
}
await cleanUp().catch((error: unknown) => report(`cleanup failed: ${(error as Error).message}`));
process.exit(0);
