/**
 * `traefik.mode: auto` as a pure decision over probed facts: which fact to probe next, or the
 * mode chosen and why, or what was tried when nothing works. The app probes one fact at a
 * time (the next probe can be slow - an image pull, a download), so nothing is asked that
 * the decision does not need. Order: Docker with the image -> a binary already here -> one
 * obtained (downloaded or built). Docker answering without the image (none here, none
 * pullable) runs the binary instead of importing it as an image: one path for every machine
 * without the image, and no image left behind.
 */

/** Whether a Docker engine answers. */
export type DockerFact = { ok: true; engine: string } | { ok: false; reason: string };
/** Whether the image is there: present, or pulled just now. */
export type ImageFact = { ok: true; pulled: boolean } | { ok: false; reason: string };
/** A Traefik binary: `how` says where it came from ("cached", "found on PATH", "downloaded ..."). */
export type BinaryFact = { ok: true; path: string; how: string } | { ok: false; tried: string[] };

export interface ModeFacts {
  docker?: DockerFact;
  image?: ImageFact;
  /** One already here: traefik.binary, PATH, the cache. */
  binary?: BinaryFact;
  /** One obtained: downloaded or built (only asked when `binary` found none). */
  obtained?: BinaryFact;
}

export type ModeProbe = keyof ModeFacts;

export type ModeStep =
  | { kind: 'probe'; probe: ModeProbe }
  | { kind: 'chosen'; mode: 'docker'; why: string }
  | { kind: 'chosen'; mode: 'binary'; why: string; binary: string }
  | { kind: 'none'; tried: string[] };

export function nextModeStep(facts: ModeFacts, image: string): ModeStep {
  const { docker, image: imageFact, binary, obtained } = facts;
  if (!docker) return { kind: 'probe', probe: 'docker' };
  if (docker.ok) {
    if (!imageFact) return { kind: 'probe', probe: 'image' };
    if (imageFact.ok) {
      return {
        kind: 'chosen',
        mode: 'docker',
        why: `Docker engine at ${docker.engine} answers and image ${image} ${imageFact.pulled ? 'was pulled' : 'is present'}`,
      };
    }
  }
  const noDocker = docker.ok
    ? `Docker answers but image ${image} is neither present nor pullable (${imageFact && !imageFact.ok ? imageFact.reason : '?'}), so not importing it: running the binary directly`
    : `no Docker engine (${docker.reason})`;
  if (!binary) return { kind: 'probe', probe: 'binary' };
  if (binary.ok) return { kind: 'chosen', mode: 'binary', binary: binary.path, why: `${noDocker}; ${binary.how}` };
  if (!obtained) return { kind: 'probe', probe: 'obtained' };
  if (obtained.ok) return { kind: 'chosen', mode: 'binary', binary: obtained.path, why: `${noDocker}; ${obtained.how}` };
  return {
    kind: 'none',
    tried: [
      docker.ok ? `Docker at ${docker.engine}: answers` : `Docker: ${docker.reason}`,
      ...(imageFact && !imageFact.ok ? [`image ${image}: ${imageFact.reason}`] : []),
      ...binary.tried,
      ...obtained.tried,
    ],
  };
}

/** The `up` line for a mode chosen by auto or set explicitly. */
export function modeLine(mode: string, how: 'auto' | 'configured', why: string): string {
  return how === 'auto' ? `traefik: auto -> ${mode}: ${why}` : `traefik: ${mode} (traefik.mode or --traefik): ${why}`;
}
