/**
 * What to tell a user whose dev server listens on a port other than the one lb-dev gave it
 * (pure: ports and the command in, a sentence out). The framework is guessed from the command
 * line and the framework's default port; docs/frameworks.md has a section per framework.
 */

/** Frameworks with a section in docs/frameworks.md, by a word of their command line. */
const BY_COMMAND: ReadonlyArray<[RegExp, string]> = [
  [/\bnext\b/, 'next'],
  [/\bnuxi?\b/, 'nuxt'],
  [/\bastro\b/, 'astro'],
  [/\bsvelte-kit\b/, 'sveltekit'],
  [/\b(remix|react-router)\b/, 'remix'],
  [/\bvite\b/, 'vite'],
];

/** Default dev ports that only one framework uses (3000 is everyone's). */
const BY_PORT: ReadonlyMap<number, string> = new Map([
  [5173, 'vite'],
  [4321, 'astro'],
]);

/** The framework `command` runs, or that listens on its default port; null when neither tells. */
export function guessFramework(command: string, ports: readonly number[]): string | null {
  for (const [pattern, name] of BY_COMMAND) if (pattern.test(command)) return name;
  for (const port of ports) {
    const name = BY_PORT.get(port);
    if (name) return name;
  }
  return null;
}

/** The ports of `listening` when none of them is one of `given` (the tree listens elsewhere only), else null. */
export function portsElsewhere(listening: readonly number[] | null, given: readonly number[]): number[] | null {
  if (listening === null || listening.length === 0) return null;
  return listening.some((port) => given.includes(port)) ? null : [...listening];
}

/** `app-3 listens on 5173, not 19003: this dev server ignores PORT; see docs/frameworks.md#vite`. */
export function wrongPortWarning(name: string, listening: readonly number[], port: number, framework: string | null): string {
  const where = framework === null ? 'docs/frameworks.md' : `docs/frameworks.md#${framework}`;
  const fix = framework === null ? 'pass {port} in the command (e.g. `--port {port}`) or read $PORT' : 'pass {port} in the command';
  return `${name} listens on ${listening.join(', ')}, not ${port}: this dev server ignores PORT; ${fix}; see ${where}`;
}
