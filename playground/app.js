// The playground page: an editor of the tree's files and manifest, the
// findings nginxlint reports on them (worker.js runs nginxlint.wasm),
// marked in the editor and listed, with their fixes.
//
// Everything the user typed is shown through textContent, never parsed
// as HTML.
'use strict';

(() => {
  const MANIFEST = 'backends.toml';
  const MAIN = 'nginx.conf';
  const DEBOUNCE_MS = 150;
  const SEVERITY_RANK = { info: 1, warning: 2, error: 3 };

  const $ = (id) => document.getElementById(id);
  const ui = {
    tabs: $('tabs'), editor: $('editor'), highlight: $('highlight'), gutter: $('gutter'),
    findings: $('findings'), status: $('status'), version: $('version'), stock: $('stock'),
    fixAll: $('fix-all'), reset: $('reset'), add: $('add-file'), rename: $('rename-file'),
    del: $('delete-file'), hint: $('file-hint'),
  };

  // The state: the files (the manifest among them, under MANIFEST), the
  // file shown, and the last result.
  const state = {
    files: new Map(),
    current: MAIN,
    gen: 0, // counts edits: a result is shown only for the text it was computed on
    result: null,
    resultGen: -1,
    rules: new Map(),
    linting: false,
    pending: false,
    timer: 0,
    timings: { ready: null, lints: [] },
  };
  window.nginxlintPlayground = state; // for the page's test and the curious

  // --- the worker -------------------------------------------------------

  const worker = new Worker('worker.js');
  let nextID = 1;
  const waiting = new Map();
  let readyResolve, readyReject;
  const ready = new Promise((resolve, reject) => { readyResolve = resolve; readyReject = reject; });
  worker.onmessage = (e) => {
    const m = e.data;
    if (m.id === 0) {
      if (m.ready) {
        state.timings.ready = m.ms;
        readyResolve();
      } else {
        readyReject(new Error(m.error));
      }
      return;
    }
    const w = waiting.get(m.id);
    if (!w) return;
    waiting.delete(m.id);
    if (m.error) w.reject(new Error(m.error));
    else w.resolve({ value: JSON.parse(m.out), ms: m.ms });
  };
  worker.onerror = (e) => { readyReject(new Error(e.message || 'the worker failed')); };

  function call(op, arg) {
    const id = nextID++;
    return new Promise((resolve, reject) => {
      waiting.set(id, { resolve, reject });
      worker.postMessage({ id, op, arg: arg === undefined ? undefined : JSON.stringify(arg) });
    });
  }

  // --- input ------------------------------------------------------------

  function input() {
    const files = {};
    for (const [name, text] of state.files) {
      if (name === MANIFEST && text.trim() === '') continue; // no manifest
      files[name] = text;
    }
    const out = { files };
    const v = ui.version.value.trim();
    if (v) out.nginx_version = v;
    if (ui.stock.value !== 'debian') out.stock = ui.stock.value;
    return out;
  }

  function setFiles(files) {
    state.files = new Map();
    const names = Object.keys(files).sort(fileOrder);
    for (const name of names) state.files.set(name, files[name]);
    if (!state.files.has(MANIFEST)) state.files.set(MANIFEST, '');
    if (!state.files.has(state.current)) state.current = state.files.has(MAIN) ? MAIN : names[0] || MANIFEST;
  }

  // nginx.conf first, the manifest last, the others by name.
  function fileOrder(a, b) {
    const rank = (n) => (n === MAIN ? 0 : n === MANIFEST ? 2 : 1);
    return rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0);
  }

  // --- linting ----------------------------------------------------------

  function edited() {
    save();
    state.gen++;
    clearTimeout(state.timer);
    state.timer = setTimeout(lint, DEBOUNCE_MS);
  }

  async function lint() {
    clearTimeout(state.timer);
    if (state.linting) {
      state.pending = true;
      return;
    }
    state.linting = true;
    state.pending = false;
    const gen = state.gen;
    const started = performance.now();
    try {
      const { value, ms } = await call('lint', input());
      if (gen === state.gen) {
        state.result = value;
        state.resultGen = gen;
        state.timings.lints.push({ engine: ms, total: performance.now() - started });
        render();
      }
    } catch (err) {
      showStatus('error', 'nginxlint failed: ' + err.message);
    } finally {
      state.linting = false;
      if (state.pending || gen !== state.gen) lint();
    }
  }

  async function applyFix(request) {
    try {
      const { value } = await call('fix', Object.assign(input(), request));
      if (value.error) {
        showStatus('error', value.error);
        return;
      }
      for (const name of value.changed || []) {
        if (name === state.current) replaceEditorText(value.files[name]);
        state.files.set(name, value.files[name]);
      }
      state.gen++;
      save();
      lint();
    } catch (err) {
      showStatus('error', 'nginxlint failed: ' + err.message);
    }
  }

  // replaceEditorText puts text in the editor as an edit of what changed,
  // so that undo takes the fix back.
  function replaceEditorText(text) {
    const old = ui.editor.value;
    let start = 0;
    while (start < old.length && start < text.length && old[start] === text[start]) start++;
    let endOld = old.length, endNew = text.length;
    while (endOld > start && endNew > start && old[endOld - 1] === text[endNew - 1]) { endOld--; endNew--; }
    ui.editor.focus();
    ui.editor.setSelectionRange(start, endOld);
    const inserted = text.slice(start, endNew);
    let ok = false;
    try {
      ok = document.execCommand('insertText', false, inserted);
    } catch (_) { ok = false; }
    if (!ok || ui.editor.value !== text) ui.editor.value = text;
    ui.editor.setSelectionRange(start + inserted.length, start + inserted.length);
  }

  // --- rendering --------------------------------------------------------

  function showStatus(kind, text) {
    ui.status.dataset.state = kind;
    ui.status.textContent = text;
  }

  function el(tag, className, text) {
    const e = document.createElement(tag);
    if (className) e.className = className;
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function findingsIn(name) {
    // While the text changes, the last result's marks stay until the
    // next one: they move little, and do not blink at each key.
    const r = state.result;
    if (!r) return [];
    const out = [];
    for (const f of r.findings) if (f.file === name) out.push({ from: f.from, to: f.to, severity: f.severity });
    for (const p of r.errors || []) if (p.file === name) out.push({ from: p.from, to: p.to, severity: 'error' });
    return out;
  }

  function render() {
    renderTabs();
    renderEditor();
    renderFindings();
  }

  function renderTabs() {
    ui.tabs.replaceChildren();
    const counts = new Map();
    const r = state.result;
    if (r) {
      for (const f of r.findings.concat(r.errors || [])) {
        if (!f.file) continue;
        const c = counts.get(f.file) || { n: 0, rank: 0 };
        c.n++;
        c.rank = Math.max(c.rank, SEVERITY_RANK[f.severity || 'error']);
        counts.set(f.file, c);
      }
    }
    for (const name of state.files.keys()) {
      const tab = el('button', 'tab' + (name === state.current ? ' active' : '') + (name === MANIFEST ? ' manifest' : ''));
      tab.type = 'button';
      tab.setAttribute('role', 'tab');
      tab.setAttribute('aria-selected', name === state.current ? 'true' : 'false');
      tab.dataset.file = name;
      tab.append(el('span', 'name', name));
      const c = counts.get(name);
      if (c) tab.append(el('span', 'count sev-' + ['', 'info', 'warning', 'error'][c.rank], String(c.n)));
      tab.addEventListener('click', () => show(name));
      ui.tabs.append(tab);
    }
    ui.rename.disabled = ui.del.disabled = state.current === MANIFEST;
    ui.hint.textContent = state.current === MANIFEST
      ? 'The backend manifest: where each backend listens. Empty: no manifest.'
      : state.current === MAIN ? 'The main file: nginx reads it first.' : '';
  }

  function show(name, select) {
    if (name !== state.current) {
      state.files.set(state.current, ui.editor.value);
      state.current = name;
      ui.editor.value = state.files.get(name) || '';
      ui.editor.scrollTop = 0;
      ui.editor.scrollLeft = 0;
      render();
    }
    if (select) {
      ui.editor.focus();
      ui.editor.setSelectionRange(select.from, select.to);
      scrollToOffset(select.from);
    }
  }

  function scrollToOffset(offset) {
    const line = ui.editor.value.slice(0, offset).split('\n').length - 1;
    const lh = parseFloat(getComputedStyle(ui.editor).lineHeight) || 20;
    const target = line * lh - ui.editor.clientHeight / 3;
    ui.editor.scrollTop = Math.max(0, target);
    syncScroll();
  }

  // The highlight layer: the text with nginx's (or TOML's) tokens
  // coloured and the findings' spans marked, behind the transparent
  // textarea.
  function renderEditor() {
    const text = ui.editor.value;
    const tokens = state.current === MANIFEST ? tomlTokens(text) : nginxTokens(text);
    const marks = findingsIn(state.current);
    const points = new Set([0, text.length]);
    for (const t of tokens) { points.add(t.from); points.add(t.to); }
    for (const m of marks) { points.add(Math.min(m.from, text.length)); points.add(Math.min(m.to, text.length)); }
    const cuts = [...points].sort((a, b) => a - b);
    const frag = document.createDocumentFragment();
    let ti = 0;
    for (let i = 0; i < cuts.length; i++) {
      const at = cuts[i];
      for (const m of marks) {
        if (m.from === m.to && m.from === at) frag.append(el('span', 'point sev-' + m.severity));
      }
      if (i === cuts.length - 1) break;
      const end = cuts[i + 1];
      while (ti < tokens.length && tokens[ti].to <= at) ti++;
      const tok = ti < tokens.length && tokens[ti].from <= at ? tokens[ti].kind : '';
      let rank = 0;
      for (const m of marks) if (m.from <= at && end <= m.to && m.from < m.to) rank = Math.max(rank, SEVERITY_RANK[m.severity]);
      const cls = [tok && 'tok-' + tok, rank && 'mark sev-' + ['', 'info', 'warning', 'error'][rank]].filter(Boolean).join(' ');
      const piece = text.slice(at, end);
      if (cls) frag.append(el('span', cls, piece));
      else frag.append(document.createTextNode(piece));
    }
    frag.append(document.createTextNode('\n')); // the last line's height
    ui.highlight.replaceChildren(frag);

    // The gutter: line numbers, and the worst finding of each line.
    const lines = text.split('\n').length;
    const worst = new Array(lines + 1).fill(0);
    for (const m of marks) {
      const l = text.slice(0, m.from).split('\n').length;
      worst[l] = Math.max(worst[l], SEVERITY_RANK[m.severity]);
    }
    const g = document.createDocumentFragment();
    for (let l = 1; l <= lines; l++) {
      g.append(el('div', worst[l] ? 'ln sev-' + ['', 'info', 'warning', 'error'][worst[l]] : 'ln', String(l)));
    }
    ui.gutter.replaceChildren(g);
    syncScroll();
  }

  function syncScroll() {
    ui.highlight.scrollTop = ui.editor.scrollTop;
    ui.highlight.scrollLeft = ui.editor.scrollLeft;
    ui.gutter.scrollTop = ui.editor.scrollTop;
  }

  function renderFindings() {
    const r = state.result;
    ui.findings.replaceChildren();
    if (!r) return;
    const stale = state.resultGen !== state.gen;
    for (const p of r.errors || []) {
      const li = el('li', 'finding sev-error run-error');
      li.append(head('error', p.file ? where(p) : ''), el('p', 'message', p.message));
      if (p.file) li.addEventListener('click', () => show(p.file, p));
      ui.findings.append(li);
    }
    // The shown file's findings first, then the others, each in
    // nginxlint's order.
    const order = r.findings.map((f, i) => i);
    order.sort((a, b) => (r.findings[b].file === state.current) - (r.findings[a].file === state.current) || a - b);
    order.forEach((i) => {
      const f = r.findings[i];
      const li = el('li', 'finding sev-' + f.severity + (f.fixes && f.fixes.length ? ' fixable' : ''));
      li.dataset.rule = f.rule;
      li.dataset.index = String(i);
      li.tabIndex = 0;
      const h = head(f.severity, where(f));
      const link = el('a', 'rule', f.rule);
      link.href = f.url;
      link.target = '_blank';
      link.rel = 'noopener noreferrer';
      link.title = (f.title || '') + ' (the rule\'s documentation)';
      link.addEventListener('click', (e) => e.stopPropagation());
      h.append(link);
      const rule = state.rules.get(f.rule);
      if (rule) {
        const info = el('button', 'explain', '?');
        info.type = 'button';
        info.title = 'Explain ' + f.rule;
        info.addEventListener('click', (e) => {
          e.stopPropagation();
          const open = li.querySelector('pre.doc');
          if (open) open.remove();
          else li.append(el('pre', 'doc', rule.explain));
        });
        h.append(info);
      }
      if (f.fixes && f.fixes.length) {
        const fix = el('button', 'fix', 'Fix');
        fix.type = 'button';
        fix.title = f.fixes[0].message;
        fix.disabled = stale;
        fix.addEventListener('click', (e) => {
          e.stopPropagation();
          applyFix({ index: i, rule: f.rule });
        });
        h.append(fix);
      }
      li.append(h, el('p', 'message', f.message));
      if (f.fixes && f.fixes.length) li.append(el('p', 'fix-message', 'Fix: ' + f.fixes[0].message));
      for (const rel of f.related || []) {
        const note = el('p', 'related');
        note.append(el('span', 'where', where(rel)), document.createTextNode(' ' + rel.message));
        if (state.files.has(rel.file)) {
          note.classList.add('link');
          note.addEventListener('click', (e) => { e.stopPropagation(); show(rel.file, rel); });
        }
        li.append(note);
      }
      li.addEventListener('click', () => show(f.file, f));
      li.addEventListener('keydown', (e) => { if (e.key === 'Enter') show(f.file, f); });
      ui.findings.append(li);
    });
    const n = r.findings.length;
    const fixable = r.findings.filter((f) => f.fixes && f.fixes.length).length;
    ui.fixAll.disabled = stale || fixable === 0;
    const last = state.timings.lints[state.timings.lints.length - 1];
    const summary = (n === 0 ? 'No findings' : n + (n === 1 ? ' finding' : ' findings'))
      + (fixable ? ', ' + fixable + ' fixable' : '')
      + (r.errors && r.errors.length ? ', ' + r.errors.length + (r.errors.length === 1 ? ' error' : ' errors') : '')
      + (last ? ' · ' + last.engine.toFixed(0) + ' ms' : '')
      + (r.manifest ? '' : ' · no manifest');
    showStatus(stale ? 'linting' : 'done', summary);
    ui.status.dataset.lints = String(state.timings.lints.length);
    if (n === 0 && !(r.errors && r.errors.length)) ui.findings.append(el('li', 'clean', 'nginxlint finds nothing wrong with this tree.'));
  }

  function head(severity, place) {
    const h = el('div', 'head');
    h.append(el('span', 'badge sev-' + severity, severity));
    if (place) h.append(el('span', 'where', place));
    return h;
  }

  function where(r) {
    return r.line ? r.file + ':' + r.line + ':' + r.column : r.file;
  }

  // --- tokens -----------------------------------------------------------

  // nginxTokens finds comments, strings, variables and directive names.
  function nginxTokens(s) {
    const out = [];
    let i = 0, expectName = true;
    const n = s.length;
    while (i < n) {
      const c = s[i];
      if (c === '#') {
        const j = s.indexOf('\n', i);
        out.push({ from: i, to: j < 0 ? n : j, kind: 'comment' });
        i = j < 0 ? n : j;
      } else if (c === '"' || c === '\'') {
        let j = i + 1;
        while (j < n && s[j] !== c) j += s[j] === '\\' ? 2 : 1;
        out.push({ from: i, to: Math.min(j + 1, n), kind: 'string' });
        i = Math.min(j + 1, n);
        expectName = false;
      } else if (c === ';' || c === '{' || c === '}') {
        out.push({ from: i, to: i + 1, kind: 'punct' });
        i++;
        expectName = true;
      } else if (/\s/.test(c)) {
        i++;
      } else {
        let j = i;
        while (j < n && !/[\s;{}#"']/.test(s[j])) j++;
        if (expectName) {
          out.push({ from: i, to: j, kind: 'name' });
          expectName = false;
        } else {
          const word = s.slice(i, j);
          const re = /\$\{?[A-Za-z0-9_]+\}?/g;
          let m;
          while ((m = re.exec(word)) !== null) out.push({ from: i + m.index, to: i + m.index + m[0].length, kind: 'var' });
        }
        i = j;
      }
    }
    return out;
  }

  // tomlTokens finds comments, strings, table headers and keys.
  function tomlTokens(s) {
    const out = [];
    let at = 0;
    for (const line of s.split('\n')) {
      const re = /("(?:[^"\\]|\\.)*"?|'[^']*'?)|(#.*$)|^(\s*\[\[?[^\]]*\]\]?)|^(\s*[A-Za-z0-9_.-]+)(?=\s*=)/g;
      let m;
      while ((m = re.exec(line)) !== null) {
        const kind = m[1] ? 'string' : m[2] ? 'comment' : m[3] ? 'table' : 'key';
        out.push({ from: at + m.index, to: at + m.index + m[0].length, kind });
        if (m[0].length === 0) re.lastIndex++;
      }
      at += line.length + 1;
    }
    return out;
  }

  // --- files --------------------------------------------------------------

  function validName(name) {
    if (!name) return 'a file needs a name';
    if (name.startsWith('/') || name.split('/').some((p) => p === '' || p === '.' || p === '..')) {
      return 'name the file by its path in the tree, such as conf.d/app.conf';
    }
    if (state.files.has(name)) return name + ' exists already';
    return '';
  }

  function addFile() {
    const name = (window.prompt('New file (its path in the tree, e.g. conf.d/app.conf):', 'conf.d/app.conf') || '').trim();
    if (!name) return;
    const why = validName(name);
    if (why) { showStatus('error', why); return; }
    state.files.set(state.current, ui.editor.value);
    state.files.set(name, '');
    setFiles(Object.fromEntries(state.files));
    show(name);
    edited();
  }

  function renameFile() {
    const old = state.current;
    if (old === MANIFEST) return;
    const name = (window.prompt('Rename ' + old + ' to:', old) || '').trim();
    if (!name || name === old) return;
    const why = validName(name);
    if (why) { showStatus('error', why); return; }
    state.files.set(old, ui.editor.value);
    const text = state.files.get(old);
    state.files.delete(old);
    state.files.set(name, text);
    state.current = name;
    setFiles(Object.fromEntries(state.files));
    render();
    edited();
  }

  function deleteFile() {
    const name = state.current;
    if (name === MANIFEST || !window.confirm('Delete ' + name + '?')) return;
    state.files.delete(name);
    state.current = state.files.has(MAIN) ? MAIN : [...state.files.keys()][0];
    ui.editor.value = state.files.get(state.current) || '';
    render();
    edited();
  }

  // The files are kept in this browser's storage (never sent anywhere),
  // so that a reload does not lose them; Reset example forgets them.
  const STORE = 'nginxlint-playground';
  let saveTimer = 0;
  function save() {
    clearTimeout(saveTimer);
    saveTimer = setTimeout(() => {
      try {
        localStorage.setItem(STORE, JSON.stringify(Object.assign(input(), { files: Object.fromEntries(state.files), current: state.current })));
      } catch (_) { /* full, or storage refused: the page works without it */ }
    }, 500);
  }

  function restore() {
    try {
      const saved = JSON.parse(localStorage.getItem(STORE) || 'null');
      if (!saved || typeof saved.files !== 'object' || !saved.files) return false;
      const files = {};
      for (const [name, text] of Object.entries(saved.files)) if (typeof text === 'string') files[name] = text;
      setFiles(files);
      state.current = state.files.has(saved.current) ? saved.current : state.current;
      ui.version.value = typeof saved.nginx_version === 'string' ? saved.nginx_version : '';
      ui.stock.value = ['debian', 'nginx.org', 'alpine', 'none'].includes(saved.stock) ? saved.stock : 'debian';
      ui.editor.value = state.files.get(state.current) || '';
      render();
      state.gen++;
      lint();
      return true;
    } catch (_) {
      return false;
    }
  }

  async function loadExample() {
    try { localStorage.removeItem(STORE); } catch (_) { /* no storage */ }
    const { value } = await call('example');
    setFiles(value.files);
    state.current = MAIN;
    ui.version.value = value.nginx_version || '';
    ui.stock.value = value.stock || 'debian';
    ui.editor.value = state.files.get(MAIN) || '';
    state.result = null;
    render();
    state.gen++;
    await lint();
  }

  // --- events -------------------------------------------------------------

  ui.editor.addEventListener('input', () => {
    state.files.set(state.current, ui.editor.value);
    state.gen++;
    renderEditor(); // the text, at once
    for (const b of ui.findings.querySelectorAll('button.fix')) b.disabled = true; // until the next lint
    ui.fixAll.disabled = true;
    edited();
  });
  ui.editor.addEventListener('scroll', syncScroll);
  ui.editor.addEventListener('keydown', (e) => {
    if (e.key === 'Tab' && !e.shiftKey && !e.ctrlKey && !e.metaKey && !e.altKey) {
      e.preventDefault();
      document.execCommand('insertText', false, '    ');
    }
  });
  ui.version.addEventListener('input', edited);
  ui.stock.addEventListener('change', edited);
  ui.fixAll.addEventListener('click', () => applyFix({ all: true }));
  ui.reset.addEventListener('click', () => {
    if (window.confirm('Replace the files with the example?')) loadExample();
  });
  ui.add.addEventListener('click', addFile);
  ui.rename.addEventListener('click', renameFile);
  ui.del.addEventListener('click', deleteFile);

  (async () => {
    try {
      await ready;
      const { value } = await call('rules');
      for (const r of value) state.rules.set(r.id, r);
      if (!restore()) await loadExample();
    } catch (err) {
      showStatus('error', 'nginxlint did not start: ' + err.message);
    }
  })();
})();
