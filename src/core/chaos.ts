/** Which instance `lb-dev chaos` kills next (pure: the random number is passed in). */
export interface ChaosCandidate {
  name: string;
  state: string;
  pid: number | null;
}

export type ChaosChoice = { victim: string; ready: number; reason?: undefined } | { victim: null; ready: number; reason: string };

/** A ready instance, chosen at random, only when killing it still leaves `keep` ready. */
export function pickChaosVictim(instances: readonly ChaosCandidate[], keep: number, random: number): ChaosChoice {
  const ready = instances.filter((i) => i.state === 'ready' && i.pid !== null);
  if (ready.length <= keep) {
    return { victim: null, ready: ready.length, reason: `only ${ready.length} ready; keeping at least ${keep}` };
  }
  const index = Math.min(ready.length - 1, Math.floor(random * ready.length));
  return { victim: ready[index]!.name, ready: ready.length };
}
