/**
 * Debian's chromium, headless, driven by playwright-core: a fresh profile per launch, no
 * background traffic. chromiumGate() says why browser tests cannot run here (skipped, or
 * failing under LB_DEV_E2E_REQUIRED=1 like e2eGate()).
 */
import { accessSync, constants } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium } from 'playwright-core';

export const CHROMIUM = process.env['LB_DEV_CHROMIUM'] || '/usr/bin/chromium';

const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export function chromiumGate(): { skip: false } | { skip: string } {
  try {
    accessSync(CHROMIUM, constants.X_OK);
    return { skip: false };
  } catch {
    const reason = `${CHROMIUM} not found: install Debian's chromium (apt-get install -y chromium; .ci/run does)`;
    if (process.env['LB_DEV_E2E_REQUIRED'] === '1') throw new Error(`browser tests are required (LB_DEV_E2E_REQUIRED=1) but cannot run: ${reason}`);
    return { skip: reason };
  }
}

export interface Browser {
  context: BrowserContext;
  close(): Promise<void>;
}

export async function launchChromium(): Promise<Browser> {
  const profile = await mkdtemp(join(tmpdir(), 'lb-dev-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ARGS,
    viewport: { width: 1400, height: 900 },
  });
  return {
    context,
    close: async () => {
      await context.close().catch(() => undefined);
      await rm(profile, { recursive: true, force: true });
    },
  };
}
