// Reads what profile.mjs collected and prints the parts that cost: CPU by function over the idle
// window, timers created in that window by call site, modules loaded by package, heap by type.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const short = (url) =>
  url
    .replace(/^file:\/\//, '')
    .replace(/^.*\/node_modules\//, '')
    .replace(/^.*\/dist\//, 'dist/');
const top = (map, n) => [...map].sort((a, b) => b[1] - a[1]).slice(0, n);

/** `fromUs`/`toUs`: the idle window on CLOCK_MONOTONIC, in µs. */
export function cpuReport(file, fromUs, toUs) {
  const profile = JSON.parse(readFileSync(file, 'utf8'));
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  let t = profile.startTime;
  const self = new Map();
  const byFile = new Map();
  let busyUs = 0;
  let samples = 0;
  profile.samples.forEach((id, i) => {
    t += profile.timeDeltas[i];
    if (t < fromUs || t > toUs) return;
    samples++;
    const node = byId.get(id);
    const { functionName, url, lineNumber } = node.callFrame;
    if (functionName === '(idle)') return;
    const us = profile.timeDeltas[i + 1] ?? 0;
    busyUs += us;
    const key = `${functionName || '(anonymous)'} ${url ? `${short(url)}:${lineNumber + 1}` : ''}`.trim();
    self.set(key, (self.get(key) ?? 0) + us);
    const where = url ? (short(url).split(/[/:]/)[0] === 'dist' ? short(url).replace(/:.*$/, '') : short(url).split('/')[0]) : functionName;
    byFile.set(where, (byFile.get(where) ?? 0) + us);
  });
  const seconds = (toUs - fromUs) / 1e6;
  console.log(
    `\nCPU profile, idle window (${samples} samples): busy ${(busyUs / 1000).toFixed(0)} ms in ${seconds.toFixed(0)} s = ${(busyUs / 1e4 / seconds).toFixed(2)} % of a core`,
  );
  console.log('  by function (self time, ms):');
  for (const [k, us] of top(self, 15)) console.log(`    ${(us / 1000).toFixed(1).padStart(7)}  ${k}`);
  console.log('  by file or package (self time, ms):');
  for (const [k, us] of top(byFile, 12)) console.log(`    ${(us / 1000).toFixed(1).padStart(7)}  ${k}`);
}

export function timerReport(file, fromUs, toUs) {
  const { timers } = JSON.parse(readFileSync(file, 'utf8'));
  const sites = new Map();
  const inWindow = timers.filter(([, at]) => at >= fromUs && at <= toUs);
  for (const [kind, , delay, site] of inWindow) {
    const key = `${kind}(${delay ?? 0}) ${short(site.replace(/^at /, ''))}`;
    sites.set(key, (sites.get(key) ?? 0) + 1);
  }
  const seconds = (toUs - fromUs) / 1e6;
  console.log(`\nTimers created in the idle window: ${inWindow.length} (${(inWindow.length / seconds).toFixed(1)}/s); by call site (per second):`);
  for (const [k, n] of top(sites, 12)) console.log(`    ${(n / seconds).toFixed(2).padStart(7)}  ${k}`);
  console.log(`  (all run: ${timers.length} timers created since start-up)`);
}

export function moduleReport(file) {
  const { cjs } = JSON.parse(readFileSync(file, 'utf8'));
  const esm = existsSync(`${file}.esm`)
    ? readFileSync(`${file}.esm`, 'utf8')
        .split('\n')
        .filter((u) => u.startsWith('file:'))
        .map((u) => fileURLToPath(u))
    : [];
  const files = [...new Set([...esm, ...cjs.filter((p) => p.startsWith('/'))])];
  const packages = new Map();
  for (const path of files) {
    const m = /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(path);
    const name = m ? m[1] : path.includes('/dist/') ? `lb-dev ${path.replace(/^.*\/dist\//, '').split('/')[0]}/` : path;
    const entry = packages.get(name) ?? { files: 0, bytes: 0 };
    entry.files++;
    entry.bytes += existsSync(path) ? statSync(path).size : 0;
    packages.set(name, entry);
  }
  const total = [...packages.values()].reduce((a, e) => ({ files: a.files + e.files, bytes: a.bytes + e.bytes }), { files: 0, bytes: 0 });
  console.log(`\nModules loaded: ${total.files} files, ${(total.bytes / 1024).toFixed(0)} KiB of source; by package:`);
  for (const [name, e] of [...packages].sort((a, b) => b[1].bytes - a[1].bytes).slice(0, 20)) {
    console.log(`    ${String(e.files).padStart(4)} files ${(e.bytes / 1024).toFixed(0).padStart(6)} KiB  ${name}`);
  }
}

export function heapReport(file) {
  const snap = JSON.parse(readFileSync(file, 'utf8'));
  const fields = snap.snapshot.meta.node_fields;
  const types = snap.snapshot.meta.node_types[0];
  const width = fields.length;
  const [typeAt, nameAt, sizeAt] = ['type', 'name', 'self_size'].map((f) => fields.indexOf(f));
  const byType = new Map();
  const byName = new Map();
  let total = 0;
  for (let i = 0; i < snap.nodes.length; i += width) {
    const type = types[snap.nodes[i + typeAt]];
    const size = snap.nodes[i + sizeAt];
    total += size;
    byType.set(type, (byType.get(type) ?? 0) + size);
    const name = type === 'object' || type === 'closure' || type === 'code' ? `${type} ${String(snap.strings[snap.nodes[i + nameAt]]).slice(0, 60)}` : type;
    byName.set(name, (byName.get(name) ?? 0) + size);
  }
  const mb = (b) => (b / 1024 / 1024).toFixed(2);
  console.log(`\nHeap snapshot: ${mb(total)} MB of JS heap objects; by type (MB):`);
  for (const [k, b] of top(byType, 10)) console.log(`    ${mb(b).padStart(7)}  ${k}`);
  console.log('  by constructor or kind (MB):');
  for (const [k, b] of top(byName, 15)) console.log(`    ${mb(b).padStart(7)}  ${k}`);
}
