// Reaction time of lb-dev to a crash: SIGKILL of one instance's process group ->
//   exit seen by lb-dev -> dynamic config renamed into Traefik's watched dir -> Traefik's API
//   no longer lists the server.
// kill -> renamed: fs.watch on the dynamic dir; exit seen -> renamed: lb-dev's own figure in
// lb-dev.log ("routes -> [...] (N ms after the last exit)"); kill -> API: polled every 5 ms.
import { readFileSync, statSync, watch } from 'node:fs';
import http from 'node:http';
import { join } from 'node:path';
import { listedServers } from '../lib/traefik.mjs';
import { summary, waitFor } from '../lib/util.mjs';

const SERVICE = 'lb-dev@file';

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
      const watcher = watch(lb.dynamicDir, () => { renamedAt ??= performance.now(); });
      const killedAt = performance.now();
      process.kill(-victim.pid, 'SIGKILL'); (await import('node:fs')).appendFileSync('/tmp/lbtrace.txt', JSON.stringify([['kill', performance.timeOrigin + killedAt]]) + '\n');
      await waitFor(`Traefik to drop ${victim.name}`, async () => !(await listedServers(agent, lb.apiUrl, SERVICE)).includes(victimUrl), 10_000, 5);
      const goneAt = performance.now();
      watcher.close();
      const added = readFileSync(logFile, 'utf8').slice(logFrom);
      const logged = /routes -> \[[^\]]*\] \((\d+)ms after the last exit\)/.exec(added);
      const exitToRename = logged ? Number(logged[1]) : null;
      const killToRename = renamedAt === null ? null : renamedAt - killedAt;
      samples.push({
        killToApiGone: goneAt - killedAt,
        killToRename,
        exitToRename,
        killToExitSeen: killToRename !== null && exitToRename !== null ? Math.max(0, killToRename - exitToRename) : null,
        renameToApiGone: renamedAt === null ? null : goneAt - renamedAt,
      });
    }
  } finally {
    agent.destroy();
  }
  const pick = (key) => summary(samples.map((s) => s[key]).filter((v) => v !== null));
  const result = { killToRename: pick("killToRename"),
    kills,
    killToExitSeen: pick('killToExitSeen'),
    exitToRename: pick('exitToRename'),
    renameToApiGone: pick('renameToApiGone'),
    killToApiGone: pick('killToApiGone'),
  };
  log(`reaction (${kills} kills): kill -> gone from Traefik's API p50 ${result.killToApiGone.p50} ms, p95 ${result.killToApiGone.p95} ms, max ${result.killToApiGone.max} ms`);
  return result;
}
