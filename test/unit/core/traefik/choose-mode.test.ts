import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type BinaryFact, type ModeFacts, type ModeStep, modeLine, nextModeStep } from '../../../../src/core/traefik/choose-mode.js';

const IMAGE = 'traefik:v3.6';
const dockerUp = { ok: true, engine: '/var/run/docker.sock' } as const;
const dockerDown = { ok: false, reason: 'tried: /var/run/docker.sock (no such socket)' } as const;
const cached = { ok: true, path: '/c/traefik/v3.6.25/traefik', how: 'Traefik 3.6.25 at /c/traefik/v3.6.25/traefik (cached)' } as const;
const noBinary: BinaryFact & { ok: false } = { ok: false, tried: ['traefik on PATH: not found', 'cache /c/traefik/v3.6.25/traefik: not there'] };
const downloaded = {
  ok: true,
  path: '/c/traefik/v3.6.25/traefik',
  how: 'Traefik 3.6.25 at /c/traefik/v3.6.25/traefik, downloaded from http://mirror',
} as const;
const noObtain: BinaryFact & { ok: false } = {
  ok: false,
  tried: ['download from http://mirror: HTTP 404 [TRAEFIK_DOWNLOAD_HTTP]', 'build from source: no Go'],
};

describe('nextModeStep: traefik.mode auto from probed facts', () => {
  const cases: Array<[string, ModeFacts, ModeStep]> = [
    ['nothing known: probe Docker first', {}, { kind: 'probe', probe: 'docker' }],
    ['Docker answers: probe the image next', { docker: dockerUp }, { kind: 'probe', probe: 'image' }],
    [
      'Docker with the image present: docker',
      { docker: dockerUp, image: { ok: true, pulled: false } },
      { kind: 'chosen', mode: 'docker', why: 'Docker engine at /var/run/docker.sock answers and image traefik:v3.6 is present' },
    ],
    [
      'Docker with the image pulled: docker',
      { docker: dockerUp, image: { ok: true, pulled: true } },
      { kind: 'chosen', mode: 'docker', why: 'Docker engine at /var/run/docker.sock answers and image traefik:v3.6 was pulled' },
    ],
    ['no Docker: look for a binary (never the image)', { docker: dockerDown }, { kind: 'probe', probe: 'binary' }],
    [
      'no Docker, binary cached: binary',
      { docker: dockerDown, binary: cached },
      { kind: 'chosen', mode: 'binary', binary: cached.path, why: `no Docker engine (${dockerDown.reason}); ${cached.how}` },
    ],
    [
      'Docker without the image and not pullable: the binary, said so',
      { docker: dockerUp, image: { ok: false, reason: 'pull: no registry' }, binary: cached },
      {
        kind: 'chosen',
        mode: 'binary',
        binary: cached.path,
        why: `Docker answers but image traefik:v3.6 is neither present nor pullable (pull: no registry), so not importing it: running the binary directly; ${cached.how}`,
      },
    ],
    ['no binary here: obtain one', { docker: dockerDown, binary: noBinary }, { kind: 'probe', probe: 'obtained' }],
    [
      'obtained by download: binary',
      { docker: dockerDown, binary: noBinary, obtained: downloaded },
      { kind: 'chosen', mode: 'binary', binary: downloaded.path, why: `no Docker engine (${dockerDown.reason}); ${downloaded.how}` },
    ],
    [
      'nothing works: every way tried, in order',
      { docker: dockerDown, binary: noBinary, obtained: noObtain },
      { kind: 'none', tried: [`Docker: ${dockerDown.reason}`, ...noBinary.tried, ...noObtain.tried] },
    ],
    [
      'nothing works with Docker but no image: the image reason is listed',
      { docker: dockerUp, image: { ok: false, reason: 'pull: no registry' }, binary: noBinary, obtained: noObtain },
      { kind: 'none', tried: ['Docker at /var/run/docker.sock: answers', 'image traefik:v3.6: pull: no registry', ...noBinary.tried, ...noObtain.tried] },
    ],
    // A binary found does not matter while Docker with the image is the first choice.
    [
      'Docker with the image wins over a binary here',
      { docker: dockerUp, image: { ok: true, pulled: false }, binary: cached },
      { kind: 'chosen', mode: 'docker', why: 'Docker engine at /var/run/docker.sock answers and image traefik:v3.6 is present' },
    ],
  ];
  for (const [name, facts, expected] of cases) {
    it(name, () => assert.deepEqual(nextModeStep(facts, IMAGE), expected));
  }

  it('probing each asked fact in turn ends in a decision within four steps', () => {
    const world: Required<ModeFacts> = { docker: dockerDown, image: { ok: true, pulled: false }, binary: noBinary, obtained: downloaded };
    const facts: ModeFacts = {};
    const asked: string[] = [];
    let step = nextModeStep(facts, IMAGE);
    while (step.kind === 'probe') {
      asked.push(step.probe);
      (facts as Record<string, unknown>)[step.probe] = world[step.probe];
      step = nextModeStep(facts, IMAGE);
    }
    assert.deepEqual(asked, ['docker', 'binary', 'obtained'], 'the image is not asked about without Docker');
    assert.equal(step.kind === 'chosen' && step.mode, 'binary');
  });
});

describe('modeLine', () => {
  it('says auto and the choice, or that the mode was set', () => {
    assert.equal(modeLine('binary', 'auto', 'why'), 'traefik: auto -> binary: why');
    assert.equal(modeLine('docker', 'configured', 'image traefik:v3.6 in Docker'), 'traefik: docker (traefik.mode or --traefik): image traefik:v3.6 in Docker');
  });
});
