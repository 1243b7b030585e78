// The demo page's own script, run in a VM with a stand-in DOM and WebSocket: after its socket
// reconnects to another instance, the page names that instance, its pid and port.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runInNewContext } from 'node:vm';
import { renderPage } from '../../../src/demo/page.js';

class FakeSocket {
  static readonly OPEN = 1;
  static opened: FakeSocket[] = [];
  readyState = FakeSocket.OPEN;
  onopen: (() => void) | null = null;
  onmessage: ((event: { data: string }) => void) | null = null;
  onclose: ((event: { code: number }) => void) | null = null;
  readonly sent: string[] = [];
  constructor(readonly url: string) {
    FakeSocket.opened.push(this);
  }
  send(text: string): void {
    this.sent.push(text);
  }
}

test('the page follows its WebSocket to the instance now holding it', () => {
  const html = renderPage({ instance: 'app-1', pid: 101, port: 4001 });
  const script = /<script>([\s\S]*)<\/script>/.exec(html)![1]!;
  const elements = new Map<string, { textContent: string; value?: string; onsubmit?: unknown }>();
  const element = (id: string) => {
    // Starts with the text the server rendered into the element, as a browser's would.
    if (!elements.has(id)) elements.set(id, { textContent: new RegExp(`id="${id}">([^<]*)<`).exec(html)?.[1] ?? '' });
    return elements.get(id)!;
  };
  const timers: Array<() => void> = [];
  const document = { getElementById: element, title: 'lb-dev demo: app-1' };
  runInNewContext(script, {
    document,
    location: { protocol: 'http:', host: '127.0.0.1:3000' },
    WebSocket: FakeSocket,
    setTimeout: (fn: () => void) => {
      timers.push(fn);
    },
    Date,
    JSON,
    String,
  });
  assert.equal(element('instance').textContent, 'app-1');
  assert.equal(element('pid').textContent, '101');

  const first = FakeSocket.opened[0]!;
  first.onopen!();
  first.onmessage!({ data: JSON.stringify({ hello: 'app-1', pid: 101, port: 4001 }) });
  first.onclose!({ code: 1006 }); // app-1 was killed
  timers.shift()!(); // the reconnect, a second later
  const second = FakeSocket.opened[1]!;
  assert.equal(second.url, 'ws://127.0.0.1:3000/websocket');
  second.onopen!();
  second.onmessage!({ data: JSON.stringify({ hello: 'app-2', pid: 202, port: 4002 }) });
  second.onmessage!({ data: JSON.stringify({ instance: 'app-2', echo: 'hello from the browser' }) });

  assert.equal(element('instance').textContent, 'app-2');
  assert.equal(element('pid').textContent, '202');
  assert.equal(element('port').textContent, '4002');
  assert.equal(document.title, 'lb-dev demo: app-2');
  assert.match(element('log').textContent, /closed \(1006\), reconnecting in 1s/);
});
