// Loaded with `node --import` into the profiled `lb-dev up`: records every module it loads
// (ESM through a resolve hook, CommonJS through Module._load) and every timer it creates, with
// the call site, and writes them to $BENCH_PROFILE_OUT as JSON when the process exits.
import { writeFileSync } from 'node:fs';
import Module, { register } from 'node:module';

const out = process.env.BENCH_PROFILE_OUT;
const esmList = `${out}.esm`;
register(new URL('./resolve-hook.mjs', import.meta.url), { data: { file: esmList } });

const cjs = new Set();
const originalLoad = Module._load;
Module._load = function load(request, parent, isMain) {
  try {
    cjs.add(Module._resolveFilename(request, parent, isMain));
  } catch {
    // a builtin or unresolvable: the original load decides
  }
  return originalLoad.call(this, request, parent, isMain);
};

const timers = []; // [kind, CLOCK_MONOTONIC in µs (the clock of --cpu-prof and of process.hrtime), delay, call site]
const site = () =>
  (new Error().stack ?? '')
    .split('\n')
    .slice(3)
    .find((l) => !l.includes('node:internal') && !l.includes('preload.mjs'))
    ?.trim() ?? '?';
for (const kind of ['setTimeout', 'setInterval', 'setImmediate']) {
  const original = globalThis[kind];
  globalThis[kind] = function patched(fn, delay, ...rest) {
    timers.push([kind, Number(process.hrtime.bigint() / 1000n), kind === 'setImmediate' ? 0 : delay, site()]);
    return original.call(this, fn, delay, ...rest);
  };
}

process.once('exit', () => {
  writeFileSync(out, JSON.stringify({ cjs: [...cjs], timers }));
});
