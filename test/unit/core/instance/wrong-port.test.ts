// The wrong-port warning's pure parts (src/core/instance/wrong-port.ts), table-driven.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { guessFramework, portsElsewhere, wrongPortWarning } from '../../../../src/core/instance/wrong-port.js';

test('guessFramework: by a word of the command, else by a default port only one framework uses', () => {
  const cases: Array<[string, number[], string | null]> = [
    ['npx vite --host', [5173], 'vite'],
    ['npx next dev', [3000], 'next'],
    ['nuxi dev', [3000], 'nuxt'],
    ['astro dev', [4321], 'astro'],
    ['npm run dev', [5173], 'vite'],
    ['npm run dev', [4321], 'astro'],
    ['npm run dev', [3000], null],
    ['node server.js', [8080], null],
    ['yarn nextcloud-sync', [3000], null],
  ];
  for (const [command, ports, expected] of cases) assert.equal(guessFramework(command, ports), expected, `${command} on ${ports}`);
});

test('portsElsewhere: only when the tree listens somewhere and on none of its ports', () => {
  assert.equal(portsElsewhere(null, [19003]), null);
  assert.equal(portsElsewhere([], [19003]), null);
  assert.equal(portsElsewhere([19003, 24678], [19003]), null);
  assert.equal(portsElsewhere([19004], [19003, 19004]), null);
  assert.deepEqual(portsElsewhere([5173], [19003]), [5173]);
  assert.deepEqual(portsElsewhere([5173, 24678], [19003]), [5173, 24678]);
});

test('wrongPortWarning names the ports, the given port and the docs section', () => {
  assert.equal(
    wrongPortWarning('app-3', [5173], 19003, 'vite'),
    'app-3 listens on 5173, not 19003: this dev server ignores PORT; pass {port} in the command; see docs/frameworks.md#vite',
  );
  assert.match(wrongPortWarning('app-1', [8080, 9229], 19001, null), /^app-1 listens on 8080, 9229, not 19001: .*read \$PORT; see docs\/frameworks\.md$/);
});
