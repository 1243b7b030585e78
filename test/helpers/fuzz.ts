// Shared by the seeded fuzz tests (test/unit/fuzz/*, and the control-message fuzz in
// test/unit/control/server-fuzz.test.ts): a small PRNG, the seed (LB_DEV_FUZZ_SEED replays another
// one), pickers, and a tally of outcomes to print.

export const FUZZ_SEED = Number(process.env['LB_DEV_FUZZ_SEED'] ?? 20251126);

/** mulberry32: a tiny PRNG, enough for reproducible test inputs. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface Picker {
  random: () => number;
  int(n: number): number;
  pick<T>(list: readonly T[]): T;
  chance(p: number): boolean;
}

export function picker(seed: number): Picker {
  const random = prng(seed);
  const int = (n: number) => Math.floor(random() * n);
  return { random, int, pick: (list) => list[int(list.length)]!, chance: (p) => random() < p };
}

/** Counts outcomes by name, for the report every fuzz test prints. */
export class Tally {
  private readonly counts = new Map<string, number>();
  add(outcome: string): void {
    this.counts.set(outcome, (this.counts.get(outcome) ?? 0) + 1);
  }
  get total(): number {
    return [...this.counts.values()].reduce((a, b) => a + b, 0);
  }
  toString(): string {
    return [...this.counts]
      .sort((a, b) => b[1] - a[1])
      .map(([name, n]) => `${name} ${n}`)
      .join(', ');
  }
}
