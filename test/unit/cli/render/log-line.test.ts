import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { LogLine } from '../../../../src/adapters/logs/log-line.js';
import { renderLogLine } from '../../../../src/cli/render/log-line.js';

const line = (over: Partial<LogLine> = {}): LogLine => ({
  seq: 1,
  time: Date.UTC(2026, 10, 25, 16, 50),
  source: 'app-2',
  stream: 'stdout',
  text: '\u001b[32mhello\u001b[39m',
  ...over,
});
const opts = { color: false, prefix: true, width: 7, timestamps: false };

describe('renderLogLine', () => {
  it("pads the source and strips the app's colours without colour", () => {
    assert.equal(renderLogLine(line(), opts), 'app-2   | hello\n');
  });
  it("paints the prefix in the source's colour and keeps the app's own codes", () => {
    assert.equal(renderLogLine(line(), { ...opts, color: true }), '\u001b[33mapp-2   |\u001b[0m \u001b[32mhello\u001b[39m\n');
  });
  it('marks events and adds timestamps on request', () => {
    assert.equal(
      renderLogLine(line({ stream: 'event', text: 'ready after 2.1s' }), { ...opts, timestamps: true }),
      '2026-11-25T16:50:00.000Z app-2   | ▸ ready after 2.1s\n',
    );
  });
  it('prints the bare text without a prefix', () => {
    assert.equal(renderLogLine(line(), { ...opts, prefix: false }), 'hello\n');
  });
});
