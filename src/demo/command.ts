/** The command line that runs the built-in demo app, wherever lb-dev is installed. */
import { fileURLToPath } from 'node:url';

function quote(arg: string): string {
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}

export function demoCommand(): string {
  const here = fileURLToPath(import.meta.url);
  if (here.endsWith('.ts')) {
    // Running from source (tests, tsx): the demo is TypeScript too. tsx is named by its full
    // URL because the instance's cwd (the user's project) may not have it.
    return `${quote(process.execPath)} --import ${quote(import.meta.resolve('tsx'))} ${quote(here.replace(/command\.ts$/, 'server.ts'))}`;
  }
  return `${quote(process.execPath)} ${quote(here.replace(/command\.js$/, 'server.js'))}`;
}
