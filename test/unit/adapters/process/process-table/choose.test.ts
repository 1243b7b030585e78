import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { chooseProcessTableKind, createProcessTable, processTable } from '../../../../../src/adapters/process/process-table/choose.js';

describe('choosing the process table', () => {
  it('/proc when it can be read, else the portable one; LB_DEV_PROCESS_TABLE forces either', () => {
    assert.equal(chooseProcessTableKind(undefined, true), 'proc');
    assert.equal(chooseProcessTableKind('', false), 'portable');
    assert.equal(chooseProcessTableKind('portable', true), 'portable');
    assert.equal(chooseProcessTableKind('proc', false), 'proc');
  });
  it('refuses any other value, naming the variable and what it got', () => {
    assert.throws(() => chooseProcessTableKind('ps', true), /expected LB_DEV_PROCESS_TABLE to be proc or portable \(or unset\), got "ps"/);
  });
  it('chooses once per process', () => {
    assert.equal(processTable(), processTable());
    assert.equal(processTable().kind, process.env.LB_DEV_PROCESS_TABLE || (process.platform === 'linux' ? 'proc' : 'portable'));
    assert.equal(createProcessTable('portable').kind, 'portable');
  });
});
