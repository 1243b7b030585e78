/**
 * A fake Traefik release for the obtain tests: a real .tar.gz (made by the system's tar)
 * holding a `traefik` shell script that answers `traefik version`, its checksums file, and a
 * loopback HTTP server laid out like GitHub's release downloads.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, writeFileSync, chmodSync, mkdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';

export const FAKE_VERSION = 'v3.6.25';

export function fakeTraefikScript(version = FAKE_VERSION): string {
  return `#!/bin/sh\nif [ "$1" = version ]; then echo "Version:      ${version}"; echo "Codename:     fake"; exit 0; fi\necho "fake traefik $*"\n`;
}

/** A tar.gz as goreleaser makes it: traefik, LICENSE.md, CHANGELOG.md at the top level. */
export function makeReleaseArchive(dir: string, version = FAKE_VERSION): Buffer {
  const root = join(dir, 'archive-root');
  mkdirSync(root, { recursive: true });
  writeFileSync(join(root, 'LICENSE.md'), 'MIT\n'.repeat(300));
  writeFileSync(join(root, 'traefik'), fakeTraefikScript(version));
  chmodSync(join(root, 'traefik'), 0o755);
  writeFileSync(join(root, 'CHANGELOG.md'), '# changes\n');
  const archive = join(dir, 'release.tar.gz');
  execFileSync('tar', ['-C', root, '-czf', archive, 'LICENSE.md', 'traefik', 'CHANGELOG.md']);
  return readFileSync(archive);
}

export type ArchiveBehaviour = 'ok' | 'wrong-checksum' | 'truncate' | 'missing';

export interface ReleaseServer {
  baseUrl: string;
  archiveName: string;
  archive: Buffer;
  /** Requests seen, by path. */
  requests: Map<string, number>;
  behaviour: ArchiveBehaviour;
  /** While set, the archive's response waits for it (to hold a download in flight). */
  holdArchive: Promise<void> | null;
  close(): Promise<void>;
}

export async function startReleaseServer(platform = 'linux', arch = 'amd64'): Promise<ReleaseServer> {
  const dir = mkdtempSync(join(tmpdir(), 'lb-dev-release-'));
  const archive = makeReleaseArchive(dir);
  const archiveName = `traefik_${FAKE_VERSION}_${platform}_${arch}.tar.gz`;
  const state: ReleaseServer = {
    baseUrl: '',
    archiveName,
    archive,
    requests: new Map(),
    behaviour: 'ok',
    holdArchive: null,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  const server: Server = createServer(async (req, res) => {
    const path = req.url ?? '';
    state.requests.set(path, (state.requests.get(path) ?? 0) + 1);
    if (path === `/${FAKE_VERSION}/traefik_${FAKE_VERSION}_checksums.txt`) {
      const sum = state.behaviour === 'wrong-checksum' ? 'f'.repeat(64) : createHash('sha256').update(archive).digest('hex');
      res.end(`${'0'.repeat(64)}  traefik_${FAKE_VERSION}_darwin_arm64.tar.gz\n${sum}  ${archiveName}\n`);
      return;
    }
    if (path === `/${FAKE_VERSION}/${archiveName}` && state.behaviour !== 'missing') {
      if (state.holdArchive) await state.holdArchive;
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': archive.length });
      if (state.behaviour === 'truncate') {
        res.write(archive.subarray(0, Math.floor(archive.length / 2)), () => res.socket?.destroy());
        return;
      }
      res.end(archive);
      return;
    }
    res.writeHead(404).end('Not Found');
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  state.baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return state;
}
