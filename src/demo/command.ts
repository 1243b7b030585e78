/** The command line that runs the built-in demo app, wherever lb-dev is installed. */
import { fileURLToPath } from 'node:url';
import { shellQuote } from '../core/text/shell-quote.js';

export function demoCommand(): string {
  const here = fileURLToPath(import.meta.url);
  if (here.endsWith('.ts')) {
    // Running from source (tests, tsx): the demo is TypeScript too. tsx is named by its full
    // URL because the instance's cwd (the user's project) may not have it.
    return `${shellQuote(process.execPath)} --import ${shellQuote(import.meta.resolve('tsx'))} ${shellQuote(here.replace(/command\.ts$/, 'server.ts'))}`;
  }
  return `${shellQuote(process.execPath)} ${shellQuote(here.replace(/command\.js$/, 'server.js'))}`;
}
