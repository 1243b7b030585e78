// The lb-dev dashboard page: one EventSource for the state and the timeline, one for the log
// pane; every action is a POST with this run's token (taken from ?token= in the address).
const token = new URLSearchParams(location.search).get('token') ?? '';
const $ = (selector) => document.querySelector(selector);
const SIGNALS = ['SIGKILL', 'SIGTERM', 'SIGINT', 'SIGHUP', 'SIGSTOP', 'SIGCONT'];
let state = null;
let clockSkew = 0;
let logSource = null;
let logStream = null;

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (key === 'class') node.className = value;
    else if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value);
  }
  for (const child of children) node.append(child);
  return node;
}

function showResult(text, isError = false) {
  const out = $('#result');
  out.textContent = text;
  out.className = isError ? 'error' : '';
}

async function post(path, body = {}) {
  try {
    const res = await fetch(path, { method: 'POST', headers: { 'content-type': 'application/json', 'x-lb-dev-token': token }, body: JSON.stringify(body) });
    const answer = await res.json();
    if (!res.ok) {
      showResult(`${answer.error?.code}: ${answer.error?.message}`, true);
      return null;
    }
    return answer;
  } catch (error) {
    showResult(`request failed: ${error.message}`, true);
    return null;
  }
}

function duration(ms) {
  if (ms < 0 || !Number.isFinite(ms)) return '-';
  const s = Math.floor(ms / 1000);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor(s / 60) % 60).padStart(2, '0')}m`;
}

function sparkline(values) {
  const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
  svg.setAttribute('class', 'spark');
  svg.setAttribute('viewBox', '0 0 60 20');
  svg.setAttribute('preserveAspectRatio', 'none');
  const max = Math.max(1, ...values);
  const line = document.createElementNS('http://www.w3.org/2000/svg', 'polyline');
  const start = 60 - values.length;
  line.setAttribute('points', values.map((v, i) => `${start + i},${(20 - (v / max) * 18 - 1).toFixed(1)}`).join(' '));
  svg.append(line);
  return svg;
}

function lastExit(exit) {
  if (!exit) return '-';
  return exit.signal ? exit.signal : `code ${exit.code}`;
}

function actions(instance) {
  const signal = el('select', { 'aria-label': `signal for ${instance.name}`, class: 'signal' }, ...SIGNALS.map((s) => el('option', {}, s)));
  const run = async (what, path, body) => {
    showResult(`${what} ${instance.name}…`);
    const answer = await post(path, body);
    if (answer) showResult(`${what} ${instance.name}: ${JSON.stringify(answer.result)}`);
  };
  const stopped = instance.desired === 'stopped';
  return el(
    'td',
    { class: 'actions' },
    signal,
    el('button', { type: 'button', class: 'kill', onclick: () => run('kill', '/api/kill', { instance: instance.name, signal: signal.value }) }, 'kill'),
    ' ',
    stopped
      ? el('button', { type: 'button', class: 'start', onclick: () => run('start', '/api/start', { instance: instance.name }) }, 'start')
      : el('button', { type: 'button', class: 'stop', onclick: () => run('stop', '/api/stop', { instance: instance.name }) }, 'stop'),
    ' ',
    el('button', { type: 'button', class: 'restart', onclick: () => run('restart', '/api/restart', { instance: instance.name }) }, 'restart'),
    ' ',
    el('button', { type: 'button', class: 'logs', onclick: () => followLogs(instance.name) }, 'logs'),
  );
}

const COLUMNS = ['name', 'group', 'state', 'balancer', 'port', 'pid', 'uptime', 'restarts', 'last-exit', 'rps', 'requests', 'errors', 'spark', 'actions'];

/** What each cell shows; cells are updated in place so that buttons stay put under the pointer. */
function cells(i, now) {
  const counted = (n) => (state.counting ? String(n) : '-');
  return {
    name: i.name,
    group: i.group,
    state: el('span', { class: `pill state state-${i.state}` }, i.state),
    balancer: i.inBalancer ? 'in' : 'out',
    port: i.port === null ? '-' : String(i.port),
    pid: i.pid === null ? '-' : String(i.pid),
    uptime: i.startedAt && i.pid !== null ? duration(now - i.startedAt) : '-',
    restarts: String(i.restarts),
    'last-exit': lastExit(i.lastExit),
    rps: counted(i.rps),
    requests: counted(i.requests),
    errors: counted(i.errors),
    spark: sparkline(i.history),
  };
}

function renderInstances() {
  const body = $('#instances tbody');
  const now = Date.now() + clockSkew;
  const rows = new Map([...body.children].map((row) => [row.dataset.instance, row]));
  const seen = new Set();
  for (const i of state.instances) {
    seen.add(i.name);
    let row = rows.get(i.name);
    if (!row) {
      row = el('tr', { 'data-instance': i.name }, ...COLUMNS.map((c) => el('td', { class: c })));
      body.append(row);
    }
    row.dataset.state = i.state;
    row.className = logSource === i.name ? 'selected' : '';
    const values = cells(i, now);
    for (const [column, value] of Object.entries(values)) {
      const cell = row.querySelector(`td.${column}`);
      const key = typeof value === 'string' ? value : value.outerHTML;
      if (cell.dataset.key === key) continue;
      cell.dataset.key = key;
      cell.replaceChildren(value);
    }
    row.querySelector('td.balancer').classList.toggle('in', i.inBalancer);
    row.querySelector('td.errors').classList.toggle('err', i.errors > 0);
    // The actions change only with start/stop; rebuilt then, kept otherwise (an open menu stays open).
    const actionsCell = row.querySelector('td.actions');
    if (actionsCell.dataset.key !== i.desired) {
      actionsCell.dataset.key = i.desired;
      actionsCell.replaceWith(actions(i));
      row.querySelector('td.actions').dataset.key = i.desired;
    }
  }
  for (const [name, row] of rows) if (!seen.has(name)) row.remove();
}

function renderControls() {
  const scale = $('#scale');
  scale.replaceChildren(
    ...state.groups.flatMap((g) => [
      el('span', {}, `${g.name}: ${g.instances} `),
      el(
        'button',
        { type: 'button', class: 'scale-down', title: `scale ${g.name} to ${g.instances - 1}`, onclick: () => scaleTo(g.name, g.instances - 1) },
        '−',
      ),
      el('button', { type: 'button', class: 'scale-up', title: `scale ${g.name} to ${g.instances + 1}`, onclick: () => scaleTo(g.name, g.instances + 1) }, '+'),
      ' ',
    ]),
  );
  const chaos = state.chaos;
  $('#chaos-toggle').textContent = chaos.on ? 'stop chaos' : 'start chaos';
  $('#chaos-status').textContent = chaos.on ? `on: ${chaos.signal} every ${chaos.intervalMs / 1000}s, keep ${chaos.keep}; ${chaos.kills} kill(s)` : 'off';
  const r = state.routes;
  $('#routes').textContent =
    `routes: ${r.written.join(', ') || 'none'} · ${r.confirmed === true ? `confirmed by Traefik in ${r.confirmMs} ms` : r.confirmed === false ? `NOT confirmed: ${r.problem ?? 'no answer yet'}` : 'written'}`;
  $('#balancer-link').href = state.balancerUrl;
  $('#balancer-link').textContent = `open the balancer (${state.balancerUrl})`;
}

async function scaleTo(group, count) {
  if (count < 0) return;
  showResult(`scaling ${group} to ${count}…`);
  const answer = await post('/api/scale', { group, count });
  if (answer) showResult(`scaled ${group}: ${JSON.stringify(answer.result)}`);
}

function addEvent(event) {
  const list = $('#timeline');
  const time = new Date(event.time).toISOString().slice(11, 23);
  list.prepend(el('li', { class: `k-${event.kind}`, 'data-kind': event.kind, 'data-instance': event.instance ?? '' }, el('time', {}, time), event.text));
  while (list.children.length > 300) list.lastChild.remove();
}

function connect() {
  const events = new EventSource(`/api/events?token=${encodeURIComponent(token)}`);
  events.onopen = () => {
    $('#connection').textContent = 'live';
    $('#connection').className = 'pill on';
  };
  events.onerror = () => {
    $('#connection').textContent = 'reconnecting…';
    $('#connection').className = 'pill off';
  };
  events.onmessage = (message) => {
    const data = JSON.parse(message.data);
    if (data.type === 'hello') {
      $('#timeline').replaceChildren();
      for (const event of data.timeline) addEvent(event);
    }
    if (data.type === 'event') {
      addEvent(data.event);
      return;
    }
    state = data.state;
    clockSkew = state.now - Date.now();
    renderInstances();
    renderControls();
    if (logSource === null && state.instances.length) followLogs(state.instances[0].name);
  };
}

function followLogs(source) {
  logStream?.close();
  logSource = source;
  $('#log-source').textContent = source;
  $('#log-lines').replaceChildren();
  $('#log-dropped').textContent = '';
  if (state) renderInstances();
  let dropped = 0;
  logStream = new EventSource(`/api/logs?source=${encodeURIComponent(source)}&lines=200&token=${encodeURIComponent(token)}`);
  logStream.onmessage = (message) => {
    const data = JSON.parse(message.data);
    if (data.dropped) {
      dropped += data.dropped;
      $('#log-dropped').textContent = `${dropped} line(s) dropped (the page fell behind)`;
      return;
    }
    const pane = $('#log-lines');
    const line = el('div', { class: data.stream });
    line.innerHTML = data.html; // escaped by the server (core/text/ansi-html.ts): only its own spans
    pane.append(line);
    while (pane.children.length > 2000) pane.firstChild.remove();
    if ($('#log-follow').checked) pane.scrollTop = pane.scrollHeight;
  };
}

async function refreshSticky() {
  try {
    const res = await fetch('/api/sticky', { headers: { 'x-lb-dev-token': token } });
    const answer = await res.json();
    const text = $('#sticky-text');
    if (!res.ok) text.textContent = `${answer.error?.code}: ${answer.error?.message}`;
    else if (answer.cookie === null) text.textContent = 'Sticky sessions are off (balancer.stickyCookie: false): each request may go to another instance.';
    else if (answer.value === null) text.textContent = `This browser has no ${answer.cookie} cookie yet: open the balancer, then check again.`;
    else if (answer.instance === null)
      text.textContent = `Your ${answer.cookie} cookie points at no current instance (its port is gone): Traefik picks a new one on your next request.`;
    else text.textContent = `This browser is on ${answer.instance}.`;
    text.dataset.instance = answer.instance ?? '';
  } catch (error) {
    $('#sticky-text').textContent = `could not ask: ${error.message}`;
  }
}

$('#sticky-refresh').addEventListener('click', refreshSticky);
$('#sticky-drop').addEventListener('click', async () => {
  if (await post('/api/sticky/drop')) showResult('sticky cookie dropped: your next request to the balancer may land elsewhere');
  await refreshSticky();
});
$('#rolling').addEventListener('click', async () => {
  showResult('rolling restart…');
  const answer = await post('/api/restart', { all: true, rolling: true });
  if (!answer) return;
  const { restarted, skipped } = answer.result;
  const left = skipped.map((s) => `${s.instance} not restarted (${s.reason})`);
  showResult(`rolling restart done: ${[...restarted.map((r) => `${r.instance} ${r.ms} ms`), ...left].join(', ')}`);
});
$('#chaos-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const on = !state?.chaos.on;
  const body = on
    ? { on, intervalMs: Math.round(Number($('#chaos-interval').value) * 1000), keep: Number($('#chaos-keep').value), signal: $('#chaos-signal').value }
    : { on };
  const answer = await post('/api/chaos', body);
  if (answer) showResult(on ? 'chaos on' : 'chaos off');
});
$('#log-clear').addEventListener('click', () => $('#log-lines').replaceChildren());
window.addEventListener('focus', refreshSticky);

connect();
refreshSticky();
