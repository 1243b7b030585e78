/**
 * What kind of project a directory is, for `lb-dev init`: a Rocket.Chat checkout (root
 * package.json named `rocket.chat` and a Meteor app in apps/meteor), and the dev command its
 * package.json offers otherwise.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

export interface ProjectKind {
  rocketChat: boolean;
  /** `yarn dev` / `npm run dev` when package.json has a dev script, else null. */
  devCommand: string | null;
  /** Whether package.json exists (for the `lb:dev` script). */
  hasPackageJson: boolean;
}

function readJson(file: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(readFileSync(file, 'utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

export function detectProject(dir: string): ProjectKind {
  const pkg = readJson(path.join(dir, 'package.json'));
  const rocketChat = pkg?.['name'] === 'rocket.chat' && existsSync(path.join(dir, 'apps', 'meteor', '.meteor'));
  const scripts = pkg?.['scripts'];
  const hasDev = typeof scripts === 'object' && scripts !== null && typeof (scripts as Record<string, unknown>)['dev'] === 'string';
  const runner = existsSync(path.join(dir, 'yarn.lock')) ? 'yarn dev' : existsSync(path.join(dir, 'pnpm-lock.yaml')) ? 'pnpm dev' : 'npm run dev';
  return { rocketChat, devCommand: hasDev ? runner : null, hasPackageJson: pkg !== null };
}
