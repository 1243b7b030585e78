// Types of scripts/lib/storm.mjs, for test/e2e/operations-storm.test.ts.
export declare function seededRandom(seed: number): () => number;
export declare function randomOperation(random: () => number): [string, Record<string, unknown>];
export declare const EXPECTED_REFUSALS: Set<string>;
export declare function runStorm(options: {
  call: (name: string, params: Record<string, unknown>) => Promise<unknown>;
  clients: number;
  until: () => boolean;
  random: () => number;
}): Promise<{ calls: number; refused: number }>;
export declare function recordedGroups(stateDir: string): Set<number>;
export declare function untrackedProcesses(stateDir: string, marked: () => number[]): number[];
export declare function disagreement(options: {
  report: { instances: Array<{ name: string; desired: string; state: string; inBalancer: boolean; port: number | null; pid: number | null }> };
  traefikUrls: string[];
  runningNames: string[];
  stateDir: string;
  marked: () => number[];
}): string | null;
