/** The shared calls of the resolveConfig tests (schema*.test.ts): resolve a raw config as if read from a project, or get its problems. */
import assert from 'node:assert/strict';
import { LbDevError } from '../../../../src/core/errors.js';
import { resolveConfig, type ResolveOptions } from '../../../../src/core/config/schema.js';
import type { ConfigOverrides, LbDevConfig } from '../../../../src/core/config/types.js';

export const CWD = '/home/me/project';
export const DEMO = 'node /opt/lb-dev/dist/demo/main.js';

export function resolve(raw: unknown, overrides: ConfigOverrides = {}, extra: Partial<ResolveOptions> = {}): LbDevConfig {
  return resolveConfig(raw, { source: `${CWD}/lb-dev.config.yaml`, overrides, cwd: CWD, demoCommand: DEMO, ...extra });
}

/** The CONFIG_INVALID error's headline and detail lines. */
export function problems(raw: unknown, overrides: ConfigOverrides = {}, extra: Partial<ResolveOptions> = {}): { message: string; details: readonly string[] } {
  try {
    resolve(raw, overrides, extra);
  } catch (error) {
    assert.ok(error instanceof LbDevError, `expected an LbDevError, got ${String(error)}`);
    assert.equal(error.code, 'CONFIG_INVALID');
    return { message: error.message, details: error.details };
  }
  assert.fail('expected resolveConfig to throw CONFIG_INVALID, it returned a config');
}
