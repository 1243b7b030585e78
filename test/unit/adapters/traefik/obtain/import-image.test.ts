import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { type DockerEngine, connectDocker } from '../../../../../src/adapters/traefik/docker.js';
import { importAsImage, splitImageName } from '../../../../../src/adapters/traefik/obtain/import-image.js';

describe('splitImageName', () => {
  it('splits repo and tag, defaulting to latest; a registry port is not a tag', () => {
    assert.deepEqual(splitImageName('traefik:v3.6'), { repo: 'traefik', tag: 'v3.6' });
    assert.deepEqual(splitImageName('localhost:5000/traefik'), { repo: 'localhost:5000/traefik', tag: 'latest' });
    assert.deepEqual(splitImageName('localhost:5000/traefik:v3'), { repo: 'localhost:5000/traefik', tag: 'v3' });
  });
});

async function engineOrNull(): Promise<DockerEngine | null> {
  try {
    return await connectDocker();
  } catch {
    return null;
  }
}

describe('importAsImage', async () => {
  const engine = await engineOrNull();
  it('imports the binary as an image with ENTRYPOINT /traefik and the version label', { skip: engine ? false : 'no Docker engine answers' }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lb-dev-import-'));
    const binary = join(dir, 'traefik');
    writeFileSync(binary, '#!/bin/sh\necho fake\n');
    chmodSync(binary, 0o755);
    const image = `lb-dev-test-import:${randomBytes(4).toString('hex')}`;
    try {
      await importAsImage(binary, image, 'v3.6.25', { engine: engine!, builtFrom: 'test' });
      const info = await engine!.docker.getImage(image).inspect();
      assert.deepEqual(info.Config.Entrypoint, ['/traefik']);
      assert.equal(info.Config.Labels?.['org.opencontainers.image.version'], 'v3.6.25');
      assert.equal(info.Config.Labels?.['dev.lb-dev.built-from'], 'test');
      const container = await engine!.docker.createContainer({ Image: image });
      try {
        const stream = await container.getArchive({ path: '/traefik' });
        const chunks: Buffer[] = [];
        for await (const chunk of stream as AsyncIterable<Buffer>) chunks.push(chunk);
        assert.ok(Buffer.concat(chunks).includes('echo fake'));
      } finally {
        await container.remove({ force: true });
      }
    } finally {
      await engine!.docker
        .getImage(image)
        .remove({ force: true })
        .catch(() => undefined);
    }
  });
});
