// Reaction time of lb-dev to a crash: SIGKILL of one instance's process group ->
//   exit seen by lb-dev -> dynamic config renamed into Traefik's watched dir -> Traefik's API
//   no longer lists the server.
// kill -> renamed: fs.watch on the dynamic dir, with nothing else going on in this process until
// the event (Traefik's API is polled only after it); exit seen -> renamed: lb-dev's own figure in
// lb-dev.log ("routes -> [...] (N ms after app-2 exited)", 1 ms resolution); kill -> API: polled
// every 5 ms. The floor: the same demo process killed under a bare Node parent, to tell the
// kernel's part (tearing down a ~50 MB process before anyone is told) from lb-dev's.
import { readFileSync, statSync, watch } from 'node:fs';
import http from 'node:http';
import { join } from 'node:path';
import { assertDemoRunning, spawnDemo } from '../lib/demo.mjs';
import { listedServers } from '../lib/traefik.mjs';
import { accepts, freePort, summary, waitFor } from '../lib/util.mjs';

const SERVICE = 'lb-dev@file';

/** kill -> 'exit' of the demo app under a parent that does nothing else: the part lb-dev cannot shorten. */
async function bareKillToExit(kills) {
  const samples = [];
  for (let k = 0; k < kills; k++) {
    const port = await freePort();
    const demo = spawnDemo(port, 'bare-demo');
    const exited = new Promise((resolve) => demo.child.once('exit', () => resolve(performance.now())));
    try {
      await waitFor(
        `the bare demo on port ${port}`,
        () => {
          assertDemoRunning(demo);
          return accepts(port);
        },
        30_000,
        10,
      );
      const killedAt = performance.now();
      process.kill(-demo.pid, 'SIGKILL');
      samples.push((await exited) - killedAt);
    } finally {
      try {
        process.kill(-demo.pid, 'SIGKILL');
      } catch {
        /* gone */
      }
    }
  }
  return summary(samples);
}

export async function reaction({ lb, instances, kills, log }) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const logFile = join(lb.logsDir, 'lb-dev.log');
  const samples = [];
  try {
    for (let k = 0; k < kills; k++) {
      const status = await lb.allReady(instances);
      await waitFor('Traefik to list every instance', async () => (await listedServers(agent, lb.apiUrl, SERVICE)).length === instances, 30_000, 10);
      const victim = status.instances[k % instances];
      const victimUrl = `http://127.0.0.1:${victim.port}`;
      const logFrom = statSync(logFile).size;
      let renamedAt = null;
      let onRenamed;
      const renamed = new Promise((resolve) => {
        onRenamed = resolve;
      });
      const watcher = watch(lb.dynamicDir, () => {
        renamedAt ??= performance.now();
        onRenamed();
      });
      const killedAt = performance.now();
      process.kill(-victim.pid, 'SIGKILL');
      let timer;
      await Promise.race([
        renamed,
        new Promise((resolve) => {
          timer = setTimeout(resolve, 10_000);
        }),
      ]);
      clearTimeout(timer);
      watcher.close();
      await waitFor(`Traefik to drop ${victim.name}`, async () => !(await listedServers(agent, lb.apiUrl, SERVICE)).includes(victimUrl), 10_000, 5);
      const goneAt = performance.now();
      const added = readFileSync(logFile).subarray(logFrom).toString('utf8'); // logFrom is in bytes
      const logged = /routes -> \[[^\]]*\] \((\d+)ms after [^)]* exited\)/.exec(added);
      samples.push({
        killToApiGone: goneAt - killedAt,
        killToRename: renamedAt === null ? null : renamedAt - killedAt,
        exitToRename: logged ? Number(logged[1]) : null,
        renameToApiGone: renamedAt === null ? null : goneAt - renamedAt,
      });
    }
  } finally {
    agent.destroy();
  }
  const pick = (key) => summary(samples.map((s) => s[key]).filter((v) => v !== null));
  const result = {
    kills,
    bareKillToExit: await bareKillToExit(Math.min(kills, 20)),
    killToRename: pick('killToRename'),
    exitToRename: pick('exitToRename'),
    renameToApiGone: pick('renameToApiGone'),
    killToApiGone: pick('killToApiGone'),
  };
  log(
    `reaction (${kills} kills): kill -> config renamed p50 ${result.killToRename.p50} ms, p95 ${result.killToRename.p95} ms (the process's own exit under a bare parent: p50 ${result.bareKillToExit.p50} ms, p95 ${result.bareKillToExit.p95} ms); kill -> gone from Traefik's API p50 ${result.killToApiGone.p50} ms, p95 ${result.killToApiGone.p95} ms`,
  );
  return result;
}
