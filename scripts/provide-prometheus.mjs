#!/usr/bin/env node
// The import behind scripts/provide-prometheus.sh (see there), on the built modules (dist/):
//   node scripts/provide-prometheus.mjs <image> <binary> [<library>...]
// Does nothing when the image exists; else imports a root filesystem of the binary (as
// /usr/bin/prometheus), the libraries at their own paths and an empty /tmp, ENTRYPOINT the binary.
import { realpathSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { connectDocker } from '../dist/adapters/traefik/docker.js';
import { splitImageName } from '../dist/adapters/traefik/obtain/import-image.js';
import { tarStream } from '../dist/adapters/traefik/obtain/tar-pack.js';

const log = (message) => process.stderr.write(`[provide-prometheus] ${message}\n`);
const [image, binary, ...libraries] = process.argv.slice(2);
if (!image || !binary) {
  log('usage: provide-prometheus.mjs <image> <binary> [<library>...]');
  process.exit(1);
}

const engine = await connectDocker();
if (await engine.imageExists(image)) {
  log(`image ${image} present; nothing to do.`);
  process.exit(0);
}

// Files at their paths in the image (symlinks resolved: the image gets the real bytes).
const files = [['usr/bin/prometheus', binary, 0o755], ...libraries.map((lib) => [lib.replace(/^\//, ''), lib, 0o755])];
const dirs = new Set(['tmp']);
for (const [name] of files) for (let d = dirname(name); d !== '.'; d = dirname(d)) dirs.add(d);
const entries = [
  ...[...dirs].sort().map((name) => ({ type: 'directory', name, mode: name === 'tmp' ? 0o1777 : 0o755 })),
  ...files.map(([name, source, mode]) => {
    const real = realpathSync(source);
    return { type: 'file', name, mode, size: statSync(real).size, source: real };
  }),
];
log(`importing ${binary} and ${libraries.length} libraries as image ${image} (${engine.endpoint}) ...`);
const { repo, tag } = splitImageName(image);
const response = await engine.docker.importImage(tarStream(entries), {
  repo,
  tag,
  changes: ['ENTRYPOINT ["/usr/bin/prometheus"]', 'WORKDIR /tmp', 'LABEL dev.lb-dev.built-from=debian-prometheus'],
});
await new Promise((resolve, reject) => {
  engine.docker.modem.followProgress(response, (error) => (error ? reject(error) : resolve()));
});
log(`image ${image} ready.`);
