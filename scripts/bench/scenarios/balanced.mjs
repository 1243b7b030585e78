// One `lb-dev up` with 5 demo instances behind the Traefik binary, shared by the scenarios that
// need a running balancer: reaction time to SIGKILL, the second-terminal `status` command, then
// rolling restart and scale 5 -> 2 (last: it leaves 2 instances).
import { startUntil } from '../lib/lbdev.mjs';
import { reaction } from './reaction.mjs';
import { rollingAndScale } from './rolling-scale.mjs';
import { statusCli } from './status-cli.mjs';

const INSTANCES = 5;

export async function balanced({ quick, binary, log }) {
  const { lb } = await startUntil(
    {
      config: { instances: INSTANCES, readiness: { http: { path: '/api/info' } } },
      traefik: { mode: 'binary', binary },
      label: 'lb-dev up (5 instances)',
    },
    (started) => started.allReady(INSTANCES),
  );
  try {
    return {
      reaction: await reaction({ lb, instances: INSTANCES, kills: quick ? 5 : 30, log }),
      statusCli: await statusCli({ lb, runs: quick ? 3 : 10, log }),
      ...(await rollingAndScale({ lb, instances: INSTANCES, log })),
    };
  } finally {
    await lb.stop();
  }
}
