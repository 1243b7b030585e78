// What `restart --all --rolling` and `scale 5 -> 2` cost clients: failed requests under the
// same steady load as the failover scenario (8 keep-alive clients, 10 ms pause, no cookies).
import { describeLoad, startLoad } from '../lib/http-load.mjs';
import { sleep } from '../lib/util.mjs';

async function underLoad(lb, action) {
  const load = startLoad({ url: `${lb.url}/api/info`, clients: 8, pauseMs: 10 });
  await sleep(500);
  const t0 = Date.now();
  await action();
  const actionMs = Date.now() - t0;
  await sleep(500);
  return { ...describeLoad(await load.stop()), actionMs };
}

export async function rollingAndScale({ lb, instances, log }) {
  await lb.allReady(instances);
  const rolling = await underLoad(lb, () => lb.cli('restart', '--all', '--rolling'));
  log(`rolling restart of ${instances}: ${rolling.sent} sent, ${rolling.failed} failed, ${rolling.actionMs} ms`);
  await lb.allReady(instances);
  const scale = await underLoad(lb, () => lb.cli('scale', '2'));
  log(`scale ${instances} -> 2: ${scale.sent} sent, ${scale.failed} failed, ${scale.actionMs} ms`);
  return { instances, rolling, scale };
}
