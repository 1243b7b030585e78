/**
 * The demo app's one HTML page: which instance answered, and a WebSocket to /websocket
 * showing the echo, so a browser shows stickiness and failover at a glance.
 */

export interface PageInfo {
  instance: string;
  pid: number;
  port: number;
}

export function renderPage(info: PageInfo): string {
  const instance = escapeHtml(info.instance);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>lb-dev demo: ${instance}</title>
<style>
  body { font: 15px/1.4 system-ui, sans-serif; margin: 2rem; max-width: 44rem; }
  code, pre { font: 13px ui-monospace, monospace; }
  pre { background: #f4f4f4; padding: .75rem; min-height: 8rem; white-space: pre-wrap; }
  .instance { font-size: 1.6rem; font-weight: bold; }
</style>
</head>
<body>
<p>This page was served by <b>${instance}</b> (pid ${info.pid}); its WebSocket is held by</p>
<p class="instance" id="instance">${instance}</p>
<p>pid <code id="pid">${info.pid}</code>, port <code id="port">${info.port}</code> &middot; <a href="/api/info">/api/info</a></p>
<form id="send"><input id="text" value="hello" autocomplete="off"> <button>send over WebSocket</button></form>
<pre id="log"></pre>
<script>
  const log = document.getElementById('log');
  const add = (text) => { log.textContent += new Date().toLocaleTimeString() + '  ' + text + '\\n'; };
  let socket;
  function connect() {
    const url = (location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/websocket';
    socket = new WebSocket(url);
    socket.onopen = () => { add('open ' + url); socket.send('hello from the browser'); };
    socket.onmessage = (event) => {
      add('<- ' + event.data);
      // After a reconnect the socket may be held by another instance: show that one, not the first.
      let message = null;
      try { message = JSON.parse(event.data); } catch {}
      if (message && typeof message.hello === 'string') {
        document.getElementById('instance').textContent = message.hello;
        document.getElementById('pid').textContent = String(message.pid);
        document.getElementById('port').textContent = String(message.port);
        document.title = 'lb-dev demo: ' + message.hello;
      }
    };
    // Reconnect, so a killed instance shows the balancer moving the socket elsewhere.
    socket.onclose = (event) => { add('closed (' + event.code + '), reconnecting in 1s'); setTimeout(connect, 1000); };
  }
  document.getElementById('send').onsubmit = (event) => {
    event.preventDefault();
    if (socket && socket.readyState === WebSocket.OPEN) socket.send(document.getElementById('text').value);
  };
  connect();
</script>
</body>
</html>
`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
