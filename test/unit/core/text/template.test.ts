import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { renderTemplate } from '../../../../src/core/text/template.js';

const values = { port: 41234, index: 2, name: 'app-2', url: 'http://127.0.0.1:3000', group: 'app', extraPorts: [41235] };

describe('renderTemplate', () => {
  const cases: Array<[string, string]> = [
    ['PORT={port}', 'PORT=41234'],
    ['{name}/{index}', 'app-2/2'],
    ['ROOT_URL={url}', 'ROOT_URL=http://127.0.0.1:3000'],
    ['mongodb://localhost:{extraPort1}/meteor', 'mongodb://localhost:41235/meteor'],
    ['{extraPort2}', '{extraPort2}'],
    ['{unknown} {port}', '{unknown} 41234'],
    ['no placeholders', 'no placeholders'],
  ];
  for (const [input, expected] of cases) it(`${input} -> ${expected}`, () => assert.equal(renderTemplate(input, values), expected));
});
