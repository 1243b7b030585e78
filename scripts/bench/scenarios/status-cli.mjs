// The second-terminal command: `lb-dev status` (a fresh node process that asks the running
// `up` over its socket) against `node -e 0`, wall time measured here, max RSS from /usr/bin/time.
import { execFile } from 'node:child_process';
import { CLI, median, round } from '../lib/util.mjs';

function timed(args) {
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    execFile('/usr/bin/time', ['-f', '%e %M', process.execPath, ...args], { encoding: 'utf8' }, (error, _stdout, stderr) => {
      if (error) return reject(new Error(`${args.join(' ')}: ${stderr || error.message}`));
      const kb = Number(stderr.trim().split('\n').at(-1).split(' ')[1]);
      resolve({ ms: performance.now() - t0, rssMb: kb / 1024 });
    });
  });
}

export async function statusCli({ lb, runs, log }) {
  const status = [];
  const bare = [];
  for (let i = 0; i < runs; i++) {
    status.push(await timed([CLI, 'status', '--config', lb.configFile]));
    bare.push(await timed(['-e', '0']));
  }
  const m = (xs, key) => round(median(xs.map((x) => x[key])), 0);
  const result = {
    runs,
    status: { ms: m(status, 'ms'), rssMb: m(status, 'rssMb') },
    node: { ms: m(bare, 'ms'), rssMb: m(bare, 'rssMb') },
  };
  result.timeRatio = round(result.status.ms / result.node.ms, 1);
  result.rssRatio = round(result.status.rssMb / result.node.rssMb, 1);
  log(
    `lb-dev status: ${result.status.ms} ms, ${result.status.rssMb} MB; node -e 0: ${result.node.ms} ms, ${result.node.rssMb} MB (x${result.timeRatio} time, x${result.rssRatio} RSS)`,
  );
  return result;
}
