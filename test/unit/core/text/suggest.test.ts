import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { editDistance, suggest } from '../../../../src/core/text/suggest.js';

const KEYS = ['command', 'instances', 'cwd', 'env', 'reservePorts', 'readiness', 'restart', 'stopGracePeriod', 'host', 'port'];

describe('suggest', () => {
  const cases: Array<[string, string | undefined]> = [
    ['instanses', 'instances'],
    ['instance', 'instances'],
    ['comand', 'command'],
    ['prot', 'port'], // a swap of two letters is one edit
    ['Port', 'port'], // case does not matter
    ['readyness', 'readiness'],
    ['stopGrace', undefined], // too different
    ['foo', undefined],
    ['xyz', undefined],
    ['restar', 'restart'],
    ['evn', 'env'],
  ];
  for (const [word, expected] of cases) {
    it(`${word} -> ${expected ?? 'nothing'}`, () => assert.equal(suggest(word, KEYS), expected));
  }

  it('returns undefined without candidates', () => assert.equal(suggest('port', []), undefined));
  it('prefers the closest candidate, then the earlier one', () => {
    assert.equal(suggest('hosts', ['host', 'hostss']), 'host');
    assert.equal(suggest('cat', ['bat', 'hat']), 'bat');
  });
  it('accepts mode values too', () => assert.equal(suggest('dokcer', ['docker', 'binary', 'external']), 'docker'));
});

describe('editDistance', () => {
  const cases: Array<[string, string, number]> = [
    ['', '', 0],
    ['a', '', 1],
    ['', 'abc', 3],
    ['kitten', 'sitting', 3],
    ['port', 'prot', 1],
    ['abc', 'abc', 0],
    ['ab', 'ba', 1],
  ];
  for (const [a, b, expected] of cases) {
    it(`${JSON.stringify(a)} -> ${JSON.stringify(b)} = ${expected}`, () => assert.equal(editDistance(a, b), expected));
  }
});
