// Fleetkit dashboard: vanilla JavaScript, no build step, no third-party code. Every value that came from the
// server (and so possibly from a device) reaches the page as text (textContent, createTextNode), never as HTML.
// The API token lives in sessionStorage (this tab only, gone when it closes) and goes out as a bearer header on
// fetch(): the browser never attaches it by itself, so other sites cannot make requests with it (no CSRF).
'use strict';

const API = '/api/v1';
const TOKEN_KEY = 'fleet.token';
const ROLES = ['viewer', 'operator', 'admin'];
let me = null;         // {name, role} of the token, from GET /api/v1/me
let page = null;       // the current page's AbortController: leaving a page stops its requests and streams
const pagerStack = []; // the `after` of the pages before this one (devices table)

// ---- DOM, as text only ----------------------------------------------------------------------------------------

function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === 'class') e.className = v;
    else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    e.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return e;
}

/** A link inside the dashboard; the id goes in encoded, so it cannot leave the hash. */
function link(hash, text) {
  return el('a', {href: '#' + hash}, text);
}

function badge(text, cls) {
  return el('span', {class: 'badge ' + (cls || text)}, text);
}

function when(iso) {
  if (!iso) return '—';
  const d = new Date(iso);
  return isNaN(d) ? iso : d.toLocaleString();
}

function bytes(n) {
  if (n === null || n === undefined) return '—';
  const u = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let i = 0;
  while (n >= 1024 && i < u.length - 1) { n /= 1024; i++; }
  return (i ? n.toFixed(1) : n) + ' ' + u[i];
}

function table(headers, rows, attrs) {
  return el('div', {class: 'scroll'}, el('table', attrs || {},
    el('thead', {}, el('tr', {}, headers.map(h => el('th', {class: h.endsWith('#') ? 'num' : null}, h.replace(/#$/, ''))))),
    el('tbody', {}, rows)));
}

function facts(pairs) {
  return el('dl', {class: 'facts'}, pairs.flatMap(([k, v]) => [el('dt', {}, k), el('dd', {}, v === null || v === undefined || v === '' ? '—' : v)]));
}

function show(...nodes) {
  const main = document.getElementById('main');
  main.replaceChildren(...nodes.filter(n => n !== null && n !== undefined));
}

function showError(doc) {
  const box = document.getElementById('error');
  if (!doc) { box.hidden = true; box.replaceChildren(); return; }
  box.replaceChildren(el('strong', {}, doc.code || 'error'), ': ', doc.message || '', doc.fix ? el('span', {class: 'fix'}, doc.fix) : null);
  box.hidden = false;
}

// ---- the API ---------------------------------------------------------------------------------------------------

class ApiError extends Error {
  constructor(status, doc) {
    super((doc && doc.message) || ('HTTP ' + status));
    this.status = status;
    this.doc = doc || {code: 'http.' + status, message: 'the server answered ' + status};
  }
}

function token() {
  return sessionStorage.getItem(TOKEN_KEY);
}

async function api(method, path, body) {
  const headers = {'Authorization': 'Bearer ' + token(), 'Accept': 'application/json'};
  const init = {method, headers, cache: 'no-store', credentials: 'omit', signal: page ? page.signal : undefined};
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  const r = await fetch(API + path, init);
  const doc = await r.json().catch(() => null);
  if (r.status === 401) {
    logout('Your token was refused (revoked, or mistyped): log in again.');
    throw new ApiError(401, doc);
  }
  if (!r.ok) throw new ApiError(r.status, doc);
  return doc;
}

/**
 * Reads a text/event-stream with fetch() (EventSource cannot send the bearer header): calls onEvent(name, data)
 * for each event until it returns false, the page is left, or the server says `end`; reconnects after the server's
 * `retry` when the stream closes. Sets the page's live badge while a stream is open.
 */
async function stream(path, onEvent, signal) {
  let retry = 1000;
  const live = state => { const b = document.getElementById('live'); if (b) { b.textContent = state; b.className = 'badge ' + state; } };
  while (!signal.aborted) {
    try {
      const r = await fetch(API + path, {headers: {'Authorization': 'Bearer ' + token(), 'Accept': 'text/event-stream'},
        cache: 'no-store', credentials: 'omit', signal});
      if (r.status === 401) { logout('Your token was refused: log in again.'); return; }
      if (!r.ok) {
        showError(await r.json().catch(() => null));
      } else {
        live('live');
        const reader = r.body.pipeThrough(new TextDecoderStream()).getReader();
        let buf = '';
        for (;;) {
          const {value, done} = await reader.read();
          if (done) break;
          buf += value.replace(/\r\n?/g, '\n');
          if (buf.length > (1 << 22)) throw new Error('an event larger than 4 MiB');
          let i;
          while ((i = buf.indexOf('\n\n')) >= 0) {
            const block = buf.slice(0, i);
            buf = buf.slice(i + 2);
            let name = 'message';
            const data = [];
            for (const line of block.split('\n')) {
              if (line === '' || line.startsWith(':')) continue;
              const c = line.indexOf(':');
              const field = c < 0 ? line : line.slice(0, c);
              let v = c < 0 ? '' : line.slice(c + 1);
              if (v.startsWith(' ')) v = v.slice(1);
              if (field === 'event') name = v;
              else if (field === 'data') data.push(v);
              else if (field === 'retry' && /^[0-9]{1,6}$/.test(v)) retry = Number(v);
            }
            if (data.length && onEvent(name, JSON.parse(data.join('\n'))) === false) { live('ended'); return; }
          }
        }
      }
    } catch (e) {
      if (signal.aborted) return;
    }
    live('stale');
    await new Promise(resolve => setTimeout(resolve, retry));
  }
}

function may(role) {
  return me !== null && ROLES.indexOf(me.role) >= ROLES.indexOf(role);
}

// ---- pages -----------------------------------------------------------------------------------------------------

function loginPage(message) {
  const input = el('input', {type: 'password', id: 'token', name: 'token', autocomplete: 'off', required: true, placeholder: 'fleet_…'});
  const form = el('form', {class: 'card login', id: 'login-form'},
    el('h1', {}, 'Log in'),
    el('p', {class: 'muted'}, 'Paste an API token. An admin makes one with ', el('code', {}, 'fleet token create NAME --role viewer|operator|admin'), '.'),
    message ? el('p', {class: 'error', id: 'login-message'}, message) : null,
    el('div', {class: 'row'}, el('label', {}, 'API token', input), el('button', {type: 'submit', id: 'login'}, 'Log in')),
    el('p', {class: 'muted'}, 'The token stays in this browser tab only and is forgotten when the tab closes.'));
  form.addEventListener('submit', async ev => {
    ev.preventDefault();
    sessionStorage.setItem(TOKEN_KEY, input.value.trim());
    try {
      await whoAmI();
      location.hash = '#/';
      route();
    } catch (e) {
      if (!(e instanceof ApiError && e.status === 401)) showError(e.doc || {message: String(e)});
    }
  });
  show(form);
  input.focus();
}

async function whoAmI() {
  me = await api('GET', '/me');
  document.getElementById('who-name').textContent = me.name;
  document.getElementById('who-role').textContent = me.role;
  document.getElementById('who').hidden = false;
  document.getElementById('nav').hidden = false;
  document.getElementById('nav-tokens').hidden = !may('admin');
}

function logout(message) {
  sessionStorage.removeItem(TOKEN_KEY);
  me = null;
  document.getElementById('who').hidden = true;
  document.getElementById('nav').hidden = true;
  if (page) page.abort();
  page = null;
  history.replaceState(null, '', '#/login');
  loginPage(message);
}

async function overviewPage() {
  const s = await api('GET', '/summary');
  const stat = (n, label, id) => el('div', {class: 'stat'}, el('span', {class: 'n', id}, String(n)), el('span', {class: 'l'}, label));
  show(
    el('h1', {}, 'Fleet overview'),
    el('div', {class: 'stats'}, stat(s.devices, 'devices', 'count-devices'), stat(s.online, 'online', 'count-online'),
      stat(s.offline, 'offline', 'count-offline'), stat(s.activeRollouts.length, 'rollouts running', 'count-rollouts')),
    el('h2', {}, 'Versions per board'),
    s.versions.length ? table(['Board', 'Version', 'Devices#', 'Online#'], s.versions.map(v => el('tr', {},
      el('td', {}, v.board || '—'),
      el('td', {}, v.version ? link('/devices?' + new URLSearchParams(v.board ? {board: v.board, version: v.version} : {version: v.version}), v.version) : '—'),
      el('td', {class: 'num'}, String(v.devices)), el('td', {class: 'num'}, String(v.online)))))
      : el('p', {class: 'muted'}, 'No device has reported yet.'),
    el('h2', {}, 'Rollouts running'),
    s.activeRollouts.length ? rolloutTable(s.activeRollouts) : el('p', {class: 'muted'}, 'None.'));
}

const STATES = ['IDLE', 'DOWNLOADING', 'INSTALLING', 'REBOOTING', 'TRIAL', 'COMMITTED', 'ROLLED_BACK', 'FAILED'];
const FILTERS = ['idPrefix', 'board', 'version', 'state', 'tag', 'online'];

async function devicesPage(query) {
  const q = new URLSearchParams();
  for (const k of FILTERS) if (query.get(k)) q.set(k, query.get(k));
  q.set('limit', '50');
  if (query.get('after')) q.set('after', query.get('after'));
  const result = await api('GET', '/devices?' + q.toString());

  const field = (name, label, type) => el('label', {}, label, el('input', {type: type || 'text', name, id: 'filter-' + name, value: query.get(name) || ''}));
  const select = (name, label, options) => el('label', {}, label, el('select', {name, id: 'filter-' + name},
    options.map(([v, t]) => el('option', {value: v, selected: (query.get(name) || '') === v}, t))));
  const form = el('form', {class: 'card', id: 'device-filters'}, el('div', {class: 'row'},
    el('label', {}, 'Search by id', el('input', {type: 'search', name: 'idPrefix', id: 'search', value: query.get('idPrefix') || '', placeholder: 'id starts with…'})),
    field('board', 'Board'), field('version', 'Version'), field('tag', 'Tag'),
    select('state', 'Update state', [['', 'any']].concat(STATES.map(s => [s, s]))),
    select('online', 'Online', [['', 'any'], ['true', 'online'], ['false', 'offline']]),
    el('button', {type: 'submit', id: 'apply-filters'}, 'Search')));
  form.addEventListener('submit', ev => {
    ev.preventDefault();
    const next = new URLSearchParams();
    for (const [k, v] of new FormData(form)) if (String(v).trim()) next.set(k, String(v).trim());
    pagerStack.length = 0;
    location.hash = '#/devices' + (next.toString() ? '?' + next : '');
  });

  const pageLink = after => {
    const p = new URLSearchParams(query);
    p.delete('after');
    if (after) p.set('after', after);
    return '#/devices' + (p.toString() ? '?' + p : '');
  };
  const pager = el('div', {class: 'pager'},
    pagerStack.length ? el('button', {type: 'button', class: 'secondary', id: 'prev-page', onclick: () => { location.hash = pageLink(pagerStack.pop()); }}, '‹ Previous') : null,
    query.get('after') ? el('button', {type: 'button', class: 'secondary', onclick: () => { pagerStack.length = 0; location.hash = pageLink(null); }}, 'First page') : null,
    result.next ? el('button', {type: 'button', class: 'secondary', id: 'next-page', onclick: () => { pagerStack.push(query.get('after') || ''); location.hash = pageLink(result.next); }}, 'Next ›') : null,
    el('span', {class: 'muted'}, result.devices.length + ' shown'));

  show(el('h1', {}, 'Devices'), form,
    result.devices.length ? table(['Id', 'Board', 'Version', 'State', 'Online', 'Last seen', 'Tags'], result.devices.map(d => el('tr', {'data-device': d.id},
      el('td', {}, link('/devices/' + encodeURIComponent(d.id), d.id)), el('td', {}, d.board || '—'), el('td', {}, d.version || '—'),
      el('td', {}, badge(d.updateState)), el('td', {}, d.online ? badge('online', 'on') : badge('offline', 'off')),
      el('td', {}, when(d.lastSeen)), el('td', {}, d.tags.join(', ')))), {id: 'devices-table'})
      : el('p', {class: 'muted', id: 'no-devices'}, 'No device matches.'),
    pager);
}

async function devicePage(id) {
  const v = await api('GET', '/devices/' + encodeURIComponent(id));
  const d = v.device;
  const settings = Object.entries(d.settings || {});
  show(
    el('h1', {}, 'Device ', el('span', {id: 'device-id'}, d.id)),
    el('section', {class: 'card'}, el('h2', {}, 'Report'), facts([
      ['Online', d.online ? badge('online', 'on') : badge('offline', 'off')], ['Last seen', when(d.lastSeen)],
      ['Board', d.board], ['Version', d.version], ['Slot', d.slot],
      ['Slots', Object.entries(d.slots || {}).map(([k, s]) => k + ': ' + (s || 'empty')).join(', ')],
      ['Update', el('span', {}, badge(d.updateState), d.updateTarget ? ' → ' + d.updateTarget : '', d.updateReason ? ' (' + d.updateReason + ')' : '')],
      ['Desired version', d.desiredVersion], ['Free space', bytes(d.freeBytes)], ['Uptime', d.uptimeSeconds + ' s'], ['Agent', d.agent],
      ['Hostname', d.hostname], ['Serial', d.serial], ['MACs', (d.macs || []).join(', ')],
      ['Certificate', d.certificateSerial ? d.certificateSerial + ' until ' + when(d.certificateNotAfter) : null]])),
    tagsCard(d),
    el('section', {class: 'card'}, el('h2', {}, 'Settings'),
      settings.length ? table(['Name', 'Value'], settings.map(([k, s]) => el('tr', {}, el('td', {class: 'mono'}, k), el('td', {class: 'mono'}, s))))
        : el('p', {class: 'muted'}, 'No settings.')),
    el('section', {class: 'card'}, el('h2', {}, 'Events'),
      v.events.length ? el('ol', {class: 'timeline', id: 'events'}, v.events.map(e => el('li', {},
        el('span', {class: 'muted'}, when(e.ts)), ' ', badge(e.state), e.target ? ' ' + e.target : '', e.reason ? ' — ' + e.reason : '',
        e.message ? el('div', {class: 'mono'}, e.message) : null)))
        : el('p', {class: 'muted'}, 'No events yet.')),
    v.revocations.length ? el('section', {class: 'card'}, el('h2', {}, 'Revoked certificates'),
      table(['Serial', 'Reason', 'Revoked'], v.revocations.map(r => el('tr', {}, el('td', {class: 'mono'}, r.serial || 'all'), el('td', {}, r.reason || ''), el('td', {}, when(r.revokedAt))))))
      : null);
}

function rolloutTable(rollouts) {
  return table(['Id', 'Version', 'State', 'Phase', 'Selector', 'Started'], rollouts.map(r => el('tr', {'data-rollout': r.id},
    el('td', {}, link('/rollouts/' + encodeURIComponent(r.id), r.id)), el('td', {}, r.target), el('td', {}, badge(r.state)),
    el('td', {}, (r.currentPhase + 1) + ' of ' + r.phaseCount), el('td', {}, r.selector || 'all'), el('td', {}, when(r.createdAt)))));
}

async function rolloutsPage(query) {
  const [rollouts, bundles] = await Promise.all([api('GET', '/rollouts'), api('GET', '/bundles')]);
  let form = null;
  if (may('operator')) {
    const names = [...new Set(bundles.map(b => b.name))];
    form = el('form', {class: 'card', id: 'rollout-form'}, el('h2', {}, 'Start a rollout'), el('div', {class: 'row'},
      el('label', {}, 'Version', el('select', {name: 'version', id: 'rollout-version', required: true},
        names.map(n => el('option', {value: n, selected: query.get('version') === n}, n)))),
      el('label', {}, 'Devices', el('input', {name: 'select', id: 'rollout-select', placeholder: 'all, or board=…,tag=…'})),
      el('label', {}, 'Phases', el('input', {name: 'phases', id: 'rollout-phases', value: '1,10%,50%,100%'})),
      el('label', {}, 'Pause above failures', el('input', {name: 'maxFailures', id: 'rollout-max-failures', value: '20%'})),
      el('label', {}, 'Device timeout', el('input', {name: 'timeout', id: 'rollout-timeout', value: '30m'})),
      el('button', {type: 'submit', id: 'start-rollout', disabled: !names.length}, 'Start rollout')),
      names.length ? null : el('p', {class: 'muted'}, 'Publish a bundle first (', el('code', {}, 'fleet publish'), ').'));
    form.addEventListener('submit', async ev => {
      ev.preventDefault();
      const body = {};
      for (const [k, v] of new FormData(form)) if (String(v).trim()) body[k] = String(v).trim();
      try {
        const created = await api('POST', '/rollouts', body);
        showError(null);
        location.hash = '#/rollouts/' + encodeURIComponent(created.rollout.id);
      } catch (e) {
        if (e instanceof ApiError) showError(e.doc); else throw e;
      }
    });
  }
  show(el('h1', {}, 'Rollouts'), form,
    rollouts.length ? rolloutTable(rollouts.slice().reverse()) : el('p', {class: 'muted'}, 'No rollouts yet.'));
}

async function rolloutPage(id) {
  const signal = page.signal;
  const first = await api('GET', '/rollouts/' + encodeURIComponent(id));
  const head = el('div', {id: 'rollout-head'});
  const buttons = el('div', {class: 'actions', id: 'rollout-actions'});
  const phases = el('div', {id: 'rollout-phases'});
  const devices = el('div', {id: 'rollout-devices'});
  show(el('h1', {}, 'Rollout ', el('span', {id: 'rollout-id'}, id), ' ', el('span', {class: 'badge stale', id: 'live'}, 'connecting')),
    head, buttons, el('h2', {}, 'Phases'), phases, el('h2', {}, 'Devices'), devices);

  const act = verb => async () => {
    if (verb === 'abort' && !confirm('Abort rollout ' + id + '? Devices not yet updated stay where they are.')) return;
    try {
      await api('POST', '/rollouts/' + encodeURIComponent(id) + '/' + verb);
      showError(null);
      render(await api('GET', '/rollouts/' + encodeURIComponent(id)));
    } catch (e) {
      if (e instanceof ApiError) showError(e.doc); else throw e;
    }
  };

  function render(s) {
    const r = s.rollout;
    head.replaceChildren(el('section', {class: 'card'}, facts([
      ['Version', r.target], ['State', el('span', {id: 'rollout-state', class: 'badge ' + r.state}, r.state)],
      ['Phase', el('span', {id: 'rollout-phase', 'data-phase': r.currentPhase}, (r.currentPhase + 1) + ' of ' + r.phaseCount)],
      ['Devices', r.selector || 'all'], ['Phases', r.phases], ['Pauses above', Math.round(r.maxFailures * 100) + '% failed'],
      ['Device timeout', r.timeoutSeconds + ' s'], ['Reason', r.reason], ['Updated', when(r.updatedAt)]])));
    // the buttons exist only for roles that may use them; the API refuses the others anyway (403)
    const active = ['CREATED', 'RUNNING', 'PAUSED'].includes(r.state);
    buttons.replaceChildren(...(may('operator') && active ? [
      r.state === 'PAUSED' ? el('button', {type: 'button', id: 'resume', onclick: act('resume')}, 'Resume')
        : el('button', {type: 'button', id: 'pause', class: 'secondary', onclick: act('pause')}, 'Pause'),
      el('button', {type: 'button', id: 'abort', class: 'danger', onclick: act('abort')}, 'Abort')] : []));
    phases.replaceChildren(table(['Phase', 'Progress', 'Devices#', 'Succeeded#', 'Offered#', 'Pending#', 'Failed#', 'Timed out#'],
      s.phases.map(p => {
        const done = p.succeeded + p.failed + p.timedOut;
        return el('tr', {'data-phase': p.phase, class: p.phase === r.currentPhase ? 'current' : null, id: 'phase-' + p.phase},
          el('td', {}, String(p.phase + 1), p.phase === r.currentPhase && active ? ' ◂' : ''),
          el('td', {}, el('progress', {max: Math.max(p.total, 1), value: done, title: done + ' of ' + p.total + ' done'})),
          el('td', {class: 'num'}, String(p.total)), el('td', {class: 'num', 'data-succeeded': p.succeeded}, String(p.succeeded)),
          el('td', {class: 'num'}, String(p.offered)), el('td', {class: 'num'}, String(p.pending)),
          el('td', {class: 'num'}, String(p.failed)), el('td', {class: 'num'}, String(p.timedOut)));
      })));
    devices.replaceChildren(table(['Device', 'Phase#', 'State', 'Reason', 'Updated'], s.devices.map(d => el('tr', {},
      el('td', {}, link('/devices/' + encodeURIComponent(d.deviceId), d.deviceId)), el('td', {class: 'num'}, String(d.phase + 1)),
      el('td', {}, badge(d.state)), el('td', {}, d.reason || ''), el('td', {}, when(d.updatedAt))))));
  }

  render(first);
  stream('/rollouts/' + encodeURIComponent(id) + '/events', (name, data) => {
    if (name === 'status') render(data);
    if (name === 'error') showError(data);
    return name !== 'end';
  }, signal);
}

async function bundlesPage(published) {
  const bundles = await api('GET', '/bundles');
  show(el('h1', {}, 'Bundles'), may('admin') ? uploadForm() : null,
    published ? el('p', {class: 'notice', id: 'upload-done'}, 'Published ', el('strong', {}, published.name), ' (' + published.version + ', ' + published.board + ').') : null,
    bundles.length ? table(['Name', 'Version', 'Board', 'Size#', 'Chunks#', 'Published', 'SHA-256', ''], bundles.map(b => el('tr', {'data-bundle': b.name},
      el('td', {}, b.name), el('td', {}, b.version), el('td', {}, b.board), el('td', {class: 'num'}, bytes(b.size)),
      el('td', {class: 'num'}, String(b.chunks)), el('td', {}, when(b.publishedAt)),
      el('td', {class: 'mono', title: b.sha256}, b.sha256.slice(0, 12) + '…'),
      el('td', {}, may('operator') ? link('/rollouts?version=' + encodeURIComponent(b.name), 'Roll out…') : ''))), {id: 'bundles-table'})
      : el('p', {class: 'muted'}, 'No bundles published yet (', el('code', {}, 'fleet publish BUNDLE'), ').'));
}

async function tokensPage(created) {
  if (!may('admin')) {
    show(el('h1', {}, 'Tokens'), el('p', {class: 'muted'}, 'Only admins see the tokens.'));
    return;
  }
  let tokens;
  try {
    tokens = await api('GET', '/tokens');
  } catch (e) {
    if (e instanceof ApiError && (e.status === 404 || e.status === 405)) {
      show(el('h1', {}, 'Tokens'), el('p', {class: 'muted'}, 'This server does not list tokens over its API; on the server, run ',
        el('code', {}, 'fleet token list'), '.'));
      return;
    }
    throw e;
  }
  const revoke = t => attempt(async () => {
    if (!confirm('Revoke token ' + t.name + '? Whoever holds it is refused from the next request on.')) return;
    await api('DELETE', '/tokens/' + encodeURIComponent(t.name));
    showError(null);
    await tokensPage(); // revoking one's own token ends here: that request is refused and the page logs out
  });
  show(el('h1', {}, 'Tokens'), tokenForm(), created ? newTokenCard(created) : null,
    el('p', {class: 'muted'}, 'Only a hash of each token is stored. The same from a shell: ',
      el('code', {}, 'fleet token create|list|revoke'), '.'),
    table(['Name', 'Role', 'Created', 'By', 'Last used', ''], tokens.map(t => el('tr', {'data-token': t.name},
      el('td', {}, t.name), el('td', {}, badge(t.role, 'role')), el('td', {}, when(t.createdAt)), el('td', {}, t.createdBy || '—'),
      el('td', {}, when(t.lastUsedAt)),
      el('td', {}, el('button', {type: 'button', class: 'danger revoke-token', onclick: () => revoke(t)}, 'Revoke')))), {id: 'tokens-table'}));
}

// ---- routing ---------------------------------------------------------------------------------------------------

async function route() {
  showError(null);
  if (page) page.abort();
  page = new AbortController();
  const hash = location.hash.replace(/^#/, '') || '/';
  const [path, qs] = hash.split('?');
  const query = new URLSearchParams(qs || '');
  if (!token()) { loginPage(); return; }
  document.querySelectorAll('#nav a').forEach(a => a.classList.toggle('active',
    a.getAttribute('href') === '#' + path || (path.startsWith(a.getAttribute('href').slice(1) + '/') && a.getAttribute('href') !== '#/')));
  try {
    if (me === null) await whoAmI();
    let m;
    if (path === '/login') loginPage();
    else if (path === '/') await overviewPage();
    else if (path === '/devices') await devicesPage(query);
    else if ((m = path.match(/^\/devices\/([^/]+)$/))) await devicePage(decodeURIComponent(m[1]));
    else if (path === '/rollouts') await rolloutsPage(query);
    else if ((m = path.match(/^\/rollouts\/(r-[0-9]+)$/))) await rolloutPage(m[1]);
    else if (path === '/bundles') await bundlesPage();
    else if (path === '/tokens') await tokensPage();
    else show(el('h1', {}, 'Not found'), el('p', {}, link('/', 'Back to the overview')));
  } catch (e) {
    if (e.name === 'AbortError') return;
    if (e instanceof ApiError) { if (e.status !== 401) showError(e.doc); }
    else showError({code: 'dashboard.error', message: String(e), fix: 'Reload the page; if it persists, the server\'s log may say more.'});
  }
}

document.getElementById('logout').addEventListener('click', () => logout());
window.addEventListener('hashchange', route);
route();
