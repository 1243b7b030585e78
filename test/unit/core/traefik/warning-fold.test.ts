// traefikWarningFold (src/core/traefik/warning-fold.ts) on the lines Traefik v3.6.15 printed
// while an instance was frozen (SIGSTOP): one a second per server.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { traefikWarningFold } from '../../../../src/core/traefik/warning-fold.js';

const failed = (port: number, second: number) =>
  `2026-12-08T05:23:${String(second).padStart(2, '0')}Z WRN Health check failed. error="checking HTTP health: HTTP request failed: Get \\"http://127.0.0.1:${port}/\\": context deadline exceeded" serviceName=lb-dev@file targetURL=http://127.0.0.1:${port}`;

test('a frozen instance: the first failure shows, then the 10th and 100th with a count; each server on its own', () => {
  const fold = traefikWarningFold();
  const shown: string[] = [];
  for (let second = 0; second < 120; second++) {
    for (const port of [32233, 32234]) {
      if (port === 32234 && second >= 5) continue;
      const text = fold(failed(port, second % 60), second * 1000);
      if (text !== null) shown.push(text);
    }
  }
  assert.deepEqual(shown, [
    failed(32233, 0),
    failed(32234, 0),
    'Health check failed. targetURL=http://127.0.0.1:32233 (x10 in a row; lb-dev logs traefik has each)',
    'Health check failed. targetURL=http://127.0.0.1:32233 (x100 in a row; lb-dev logs traefik has each)',
  ]);
});

test('after a quiet spell a failure shows again; other lines pass untouched', () => {
  const fold = traefikWarningFold();
  assert.equal(fold(failed(1, 0), 0), failed(1, 0));
  assert.equal(fold(failed(1, 1), 1000), null);
  assert.equal(fold(failed(1, 30), 30_000), failed(1, 30));
  const other = '2026-12-08T05:23:19Z ERR Error occurred during watcher callback error="..."';
  assert.equal(fold(other, 30_001), other);
  assert.equal(fold(other, 30_002), other);
});
