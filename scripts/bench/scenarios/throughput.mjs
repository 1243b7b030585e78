// What the balancer costs: requests per second through lb-dev's Traefik against raw Traefik
// (lib/raw-traefik.mjs: the same binary, the same 3 demo instances, nothing but a router), and
// one instance directly (what the generator can do at all on this machine). autocannon, keep-alive
// clients on GET /api/info without cookies. The setups run side by side and take turns, round
// after round, so a change in the machine's load hits them alike; the figure is each setup's
// median over the rounds. lb-dev's variants price its parts one at a time. Each setup also runs
// with `?quiet`, which the demo app does not log: the same servers without the one output line
// per request that lb-dev captures (pipe, line split, log file, console) and a shell's `>` does not.
import { autocannon, ensureAutocannon } from '../lib/autocannon.mjs';
import { startUntil } from '../lib/lbdev.mjs';
import { load1 } from '../lib/machine.mjs';
import { startRaw } from '../lib/raw-traefik.mjs';
import { median, round } from '../lib/util.mjs';

const INSTANCES = 3;
const CONNECTIONS = 20;

/** lb-dev's configurations measured, each against raw Traefik: the defaults first. */
const VARIANTS = [
  { name: 'lb-dev up, defaults', config: {} },
  { name: 'lb-dev up, traefik.accessLog: false', config: { traefik: { accessLog: false } } },
];

async function startLbDev(binary, variant) {
  const { lb } = await startUntil(
    {
      config: { ...variant.config, instances: INSTANCES, readiness: { http: { path: '/api/info' } } },
      traefik: { mode: 'binary', binary, ...variant.config.traefik },
      label: variant.name,
    },
    (started) => started.allReady(INSTANCES),
  );
  return { url: `${lb.url}/api/info`, stop: lb.stop };
}

export async function throughput({ quick, binary, log }) {
  const version = ensureAutocannon();
  const rounds = quick ? 1 : 5;
  const seconds = quick ? 2 : 8;
  const setups = [];
  try {
    const direct = await startRaw(binary, 0);
    setups.push({ name: 'one instance directly (no balancer)', ...direct, url: `${direct.url}/api/info` });
    const raw = await startRaw(binary, INSTANCES);
    setups.push({ name: 'raw Traefik (router + 3 servers, nothing else)', ...raw, url: `${raw.url}/api/info`, raw: true });
    for (const variant of VARIANTS) setups.push({ name: variant.name, ...(await startLbDev(binary, variant)) });
    // The same processes again, on a path the demo app does not log; stopped once, with the first.
    for (const setup of setups.slice(0))
      setups.push({ ...setup, name: `${setup.name}, app quiet`, url: `${setup.url}?quiet`, quiet: true, stop: async () => {} });
    const runs = new Map(setups.map((s) => [s.name, []]));
    for (let r = 1; r <= rounds; r++) {
      for (const setup of setups) {
        const result = { ...(await autocannon({ url: setup.url, connections: CONNECTIONS, seconds })), load: load1() };
        runs.get(setup.name).push(result);
        log(`round ${r}/${rounds} ${setup.name}: ${Math.round(result.rps)} req/s, p99 ${result.p99} ms, ${result.errors} errors`);
      }
    }
    const rawRps = (quiet) => median(runs.get(setups.find((s) => s.raw && !!s.quiet === quiet).name).map((x) => x.rps));
    const rows = setups.map((s) => {
      const mine = runs.get(s.name);
      const rps = median(mine.map((x) => x.rps));
      return {
        setup: s.name,
        quiet: !!s.quiet,
        rps: Math.round(rps),
        range: [Math.round(Math.min(...mine.map((x) => x.rps))), Math.round(Math.max(...mine.map((x) => x.rps)))],
        ofRaw: round((rps / rawRps(!!s.quiet)) * 100),
        p99: median(mine.map((x) => x.p99)),
        errors: mine.reduce((a, x) => a + x.errors, 0),
        load: round(median(mine.map((x) => x.load)), 2),
      };
    });
    return { autocannon: version, rounds, seconds, connections: CONNECTIONS, instances: INSTANCES, rows };
  } finally {
    for (const setup of setups.reverse()) await setup.stop();
  }
}
