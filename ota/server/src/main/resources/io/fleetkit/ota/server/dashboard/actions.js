// Fleetkit dashboard: the changes an operator or admin makes from the pages in app.js (tags, tokens, bundle uploads).
// Loaded before app.js and sharing its global scope: these functions call app.js's el(), api(), show() and may() only
// when a page runs them, after both files have loaded. Each control is built only for a role that may use it (the API
// refuses the others anyway, 403); a refusal shows the API's own code, message and fix.
'use strict';

/** Runs an action a button or form started; a refusal from the API shows its own text (code, message, fix). */
async function attempt(action) {
  try {
    await action();
    return true;
  } catch (e) {
    if (e.name === 'AbortError') return false;
    if (e instanceof ApiError) { if (e.status !== 401) showError(e.doc); return false; }
    showError({code: 'dashboard.error', message: String(e)});
    return false;
  }
}

/**
 * POSTs a file as the request body with XMLHttpRequest, the one browser API that reports upload progress
 * (fetch() does not): onProgress(sent, total) as bytes leave. Resolves to the answer's JSON; rejects with ApiError.
 * Leaving the page cancels the upload.
 */
function upload(path, file, onProgress) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', API + path);
    xhr.setRequestHeader('Authorization', 'Bearer ' + token());
    xhr.setRequestHeader('Accept', 'application/json');
    xhr.setRequestHeader('Content-Type', 'application/octet-stream');
    xhr.upload.onprogress = ev => onProgress(ev.loaded, ev.lengthComputable ? ev.total : file.size);
    xhr.onload = () => {
      let doc = null;
      try { doc = JSON.parse(xhr.responseText); } catch (ignored) { /* not JSON: the status says enough */ }
      if (xhr.status === 401) logout('Your token was refused (revoked, or mistyped): log in again.');
      if (xhr.status >= 200 && xhr.status < 300) resolve(doc); else reject(new ApiError(xhr.status, doc));
    };
    xhr.onerror = () => reject(new ApiError(0, {code: 'dashboard.upload-failed', message: 'the upload did not reach the server',
      fix: 'Check the connection; a large bundle over a slow link may pass the server\'s request time (see docs/api.md).'}));
    xhr.onabort = () => reject(new DOMException('the page was left', 'AbortError'));
    if (page) page.signal.addEventListener('abort', () => xhr.abort());
    xhr.send(file);
  });
}

/** The device's tags; an operator adds and removes them (PUT /devices/{id}/tags replaces the whole list). */
function tagsCard(d) {
  const save = tags => attempt(async () => {
    await api('PUT', '/devices/' + encodeURIComponent(d.id) + '/tags', {tags});
    showError(null);
    await devicePage(d.id);
  });
  const editable = may('operator');
  const chips = d.tags.map(t => el('span', {class: 'tag', 'data-tag': t}, t,
    editable ? el('button', {type: 'button', class: 'remove-tag', title: 'Remove tag ' + t, 'aria-label': 'Remove tag ' + t,
      onclick: () => save(d.tags.filter(x => x !== t))}, '×') : null));
  let form = null;
  if (editable) {
    const input = el('input', {name: 'tag', id: 'new-tag', required: true, maxlength: 128, placeholder: 'e.g. lab', autocomplete: 'off'});
    form = el('form', {id: 'tag-form'}, el('div', {class: 'row'}, el('label', {}, 'Add a tag', input),
      el('button', {type: 'submit', id: 'add-tag'}, 'Add tag')));
    form.addEventListener('submit', ev => {
      ev.preventDefault();
      const t = input.value.trim();
      if (t && !d.tags.includes(t)) save(d.tags.concat([t]));
    });
  }
  return el('section', {class: 'card', id: 'device-tags'}, el('h2', {}, 'Tags'),
    chips.length ? el('div', {class: 'tags'}, chips) : el('p', {class: 'muted', id: 'no-tags'}, 'No tags.'), form);
}

/** An admin publishes a .bundle file: uploaded as POST /bundles' body; the server verifies it as `fleet publish` does. */
function uploadForm() {
  const file = el('input', {type: 'file', name: 'bundle', id: 'bundle-file', accept: '.bundle', required: true});
  const name = el('input', {name: 'name', id: 'bundle-name', placeholder: 'the manifest\'s version', autocomplete: 'off'});
  const bar = el('progress', {id: 'upload-progress', max: 1, value: 0, hidden: true});
  const said = el('span', {class: 'muted', id: 'upload-status'});
  const button = el('button', {type: 'submit', id: 'upload-bundle'}, 'Upload');
  const form = el('form', {class: 'card', id: 'upload-form'}, el('h2', {}, 'Publish a bundle'), el('div', {class: 'row'},
    el('label', {}, 'Bundle file', file), el('label', {}, 'Publish as (optional)', name), button),
    el('div', {class: 'upload'}, bar, said),
    el('p', {class: 'muted'}, 'The server checks its signature and every chunk with the fleet\'s signing key before it lists it.'));
  form.addEventListener('submit', async ev => {
    ev.preventDefault();
    const f = file.files[0];
    if (!f) return;
    const q = name.value.trim() ? '?' + new URLSearchParams({name: name.value.trim()}) : '';
    button.disabled = true;
    bar.hidden = false;
    showError(null);
    let published = null;
    const ok = await attempt(async () => {
      published = await upload('/bundles' + q, f, (sent, total) => {
        bar.max = Math.max(total, 1);
        bar.value = sent;
        said.textContent = sent < total ? 'Uploading… ' + bytes(sent) + ' of ' + bytes(total) : 'Verifying…';
      });
    });
    if (ok) { await attempt(() => bundlesPage(published)); return; }
    button.disabled = false;
    bar.hidden = true;
    said.textContent = '';
  });
  return form;
}

function tokenForm() {
  const form = el('form', {class: 'card', id: 'token-form'}, el('h2', {}, 'Make a token'), el('div', {class: 'row'},
    el('label', {}, 'Name', el('input', {name: 'name', id: 'token-name', required: true, maxlength: 64, autocomplete: 'off', placeholder: 'e.g. alice or ci'})),
    el('label', {}, 'Role', el('select', {name: 'role', id: 'token-role'}, ROLES.map(r => el('option', {value: r}, r)))),
    el('button', {type: 'submit', id: 'create-token'}, 'Make token')));
  form.addEventListener('submit', ev => {
    ev.preventDefault();
    const body = {name: form.elements.name.value.trim(), role: form.elements.role.value};
    attempt(async () => {
      const t = await api('POST', '/tokens', body);
      showError(null);
      await tokensPage(t);
    });
  });
  return form;
}

/** The token just made, shown this once (the server keeps only its hash), ready to copy. */
function newTokenCard(t) {
  const value = el('input', {type: 'text', id: 'new-token-value', class: 'mono', readonly: true, value: t.token, 'aria-label': 'The new token'});
  const said = el('span', {class: 'muted', id: 'copy-status'});
  const copy = async () => {
    value.select();
    try {
      await navigator.clipboard.writeText(t.token);
      said.textContent = 'Copied.';
    } catch (e) {
      said.textContent = 'Selected: press Ctrl+C (⌘C) to copy.';
    }
  };
  return el('section', {class: 'card notice', id: 'new-token'},
    el('h2', {}, 'Token ', el('span', {id: 'new-token-name'}, t.name), ' (', t.role, ')'),
    el('p', {}, 'Copy it now: it is shown only this once and cannot be read back later.'),
    el('div', {class: 'row'}, value, el('button', {type: 'button', id: 'copy-token', onclick: copy}, 'Copy'), said));
}
