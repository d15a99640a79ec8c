// The one page of label, embedded in the binary: HTML, CSS and JavaScript,
// no CDN, no build step, no external font. Served under a CSP that allows
// only this origin's script and style (no inline script), so data shown in
// the page can never run: every text from the data is set with
// textContent, never parsed as HTML; an HTML answer runs in a sandboxed
// frame from another origin. "{{TOKEN}}" is replaced by "?token=..." (or
// nothing) when the page is served.
#pragma once

#include <string_view>

namespace prefline::label {

inline constexpr std::string_view page_html = R"PAGE(<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>label</title>
<link rel="icon" href="/favicon.ico{{TOKEN}}">
<link rel="stylesheet" href="/app.css{{TOKEN}}">
<script src="/app.js{{TOKEN}}" defer></script>
</head>
<body>
<header>
  <span id="who"></span>
  <span id="where"></span>
  <div id="progress"><div id="bar"></div></div>
  <span id="counts"></span>
  <span id="agreement"></span>
  <span id="status" role="status">loading</span>
</header>
<main>
  <section id="prompt-box"><h2>Prompt</h2><div id="prompt"></div></section>
  <section id="answer"></section>
  <aside id="panel"></aside>
</main>
<div id="keys" hidden>
  <h2>Keys</h2>
  <table id="key-table"></table>
  <p>Press ? again to close.</p>
</div>
</body>
</html>
)PAGE";

inline constexpr std::string_view page_css = R"PAGE(
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.45 system-ui, sans-serif; color: #1d1d1f; background: #f6f6f3; }
header { position: sticky; top: 0; display: flex; gap: 1em; align-items: center; padding: .5em 1em;
  background: #fff; border-bottom: 1px solid #ddd; z-index: 1; }
#progress { flex: 1; height: .6em; background: #e6e6e1; border-radius: .3em; overflow: hidden; }
#bar { height: 100%; width: 0; background: #3a7d44; }
#status.error { color: #b00020; font-weight: bold; }
main { display: grid; grid-template-columns: 1fr 18em; gap: 1em; padding: 1em; }
#prompt-box, #answer { grid-column: 1; background: #fff; border: 1px solid #ddd; border-radius: 6px; padding: .5em 1em; }
#panel { grid-column: 2; grid-row: 1 / span 2; background: #fff; border: 1px solid #ddd; border-radius: 6px; padding: .5em 1em; }
.text { white-space: pre-wrap; overflow-wrap: anywhere; }
pre { background: #f0f0ec; padding: .5em; overflow: auto; font: 13px/1.4 ui-monospace, monospace; }
.sides { display: grid; grid-template-columns: 1fr 1fr; gap: 1em; }
.side { border: 1px solid #ddd; border-radius: 6px; padding: .5em; min-width: 0; }
iframe { width: 100%; height: 420px; border: 1px solid #bbb; background: #fff; }
.scale .score { display: inline-block; min-width: 1.8em; text-align: center; padding: .1em .3em; margin: .1em;
  border: 1px solid #bbb; border-radius: 4px; }
.scale .score.on { background: #3a7d44; color: #fff; border-color: #3a7d44; }
.fail { color: #b00020; font-weight: bold; }
.criterion { padding: .2em .4em; border-radius: 4px; }
.criterion.selected { outline: 2px solid #3a7d44; }
textarea { width: 100%; min-height: 6em; font: inherit; }
#keys { position: fixed; inset: 10% 20%; background: #fff; border: 2px solid #333; padding: 1em 2em; overflow: auto; z-index: 2; }
td { padding: .1em .8em; }
)PAGE";

inline constexpr std::string_view page_js = R"PAGE('use strict';
(() => {
const params = new URLSearchParams(location.search);
const token = params.get('token') || '';
const graderParam = params.get('grader') || '';
const pageSize = 100;
const pages = new Map();
let state = null;
let position = 0;
let criterion = 0;
let pending = [];
let sending = false;
let disputed = [];
let notesTimer = null;
let notesPending = null;

// The notes typed since the last save, if they changed; a re-render would
// take the focus from the field, so the page is not redrawn.
function saveNotes(beacon) {
  clearTimeout(notesTimer);
  const typed = notesPending;
  notesPending = null;
  if (!typed) return;
  const item = typed.item;
  if (!item.grade) item.grade = {scores: state.scales.map(() => null), autoFail: false, notes: ''};
  if (item.grade.notes === typed.value) return;
  item.grade.notes = typed.value;
  const body = {item: item.item, notes: typed.value};
  if (beacon) navigator.sendBeacon(url('/api/grade'), JSON.stringify(body));
  else send('/api/grade', body);
}
window.addEventListener('pagehide', () => saveNotes(true));

const $ = (id) => document.getElementById(id);
const el = (tag, text, cls) => {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = String(text);
  if (cls) node.className = cls;
  return node;
};
const url = (path, extra) => {
  const query = new URLSearchParams(extra || {});
  if (token) query.set('token', token);
  if (graderParam) query.set('grader', graderParam);
  return path + '?' + query.toString();
};
const status = (text, error) => { const s = $('status'); s.textContent = text; s.className = error ? 'error' : ''; };

async function getJson(path, extra) {
  const response = await fetch(url(path, extra), {cache: 'no-store'});
  const body = await response.json();
  if (!response.ok) throw new Error(body.error || response.statusText);
  return body;
}

async function loadState() {
  state = await getJson('/api/state');
  $('who').textContent = state.grader;
  showProgress();
  if (state.mode === 'rate') {
    const agreement = await getJson('/api/agreement');
    disputed = agreement.disputed || [];
    $('agreement').textContent = agreement.graders < 2 ? '' :
      'α ' + agreement.alpha.map((a, s) => state.scales[s].name + ' ' + (a === null ? '–' : a.toFixed(2))).join(' · ') +
      ' · ' + disputed.length + ' disputed (r)';
  }
}

function showProgress() {
  const done = state.mode === 'rate' ? state.graded : state.voted / state.criteria.length;
  $('bar').style.width = (100 * done / Math.max(1, state.total)).toFixed(1) + '%';
  if (state.mode === 'rate')
    $('counts').textContent = state.scales.map((s) => s.name + ' ' + s.graded + '/' + state.total).join(' · ');
  else
    $('counts').textContent = state.voted + ' votes';
}

async function itemAt(at) {
  const page = Math.floor(at / pageSize);
  if (!pages.has(page)) {
    const body = await getJson('/api/items', {offset: page * pageSize, limit: pageSize});
    pages.set(page, body.items);
    // Only pages near the grader stay in memory: 100 000 items never load at once.
    for (const key of pages.keys()) if (Math.abs(key - page) > 2) pages.delete(key);
  }
  return pages.get(page)[at - page * pageSize];
}

function showText(parent, text) {
  // Fenced code blocks in monospace; everything else as plain text.
  const parts = String(text).split(/^```[^\n]*$/m);
  parts.forEach((part, i) => {
    if (i % 2 === 1) { const pre = el('pre'); pre.appendChild(el('code', part.replace(/^\n/, ''))); parent.appendChild(pre); }
    else if (part.trim() !== '') parent.appendChild(el('div', part.trim(), 'text'));
  });
}

function showAnswer(parent, item) {
  if (item.files) {
    if (item.html) {
      const frame = document.createElement('iframe');
      frame.setAttribute('sandbox', 'allow-scripts');
      frame.setAttribute('referrerpolicy', 'no-referrer');
      frame.src = state.filesOrigin + '/t/' + encodeURIComponent(state.filesToken) + '/i/' + item.item + '/index.html';
      parent.appendChild(frame);
    }
    for (const file of item.files) {
      const details = el('details');
      if (!item.html) details.open = true;
      details.appendChild(el('summary', file.name));
      const pre = el('pre');
      pre.appendChild(el('code', file.content));
      details.appendChild(pre);
      parent.appendChild(details);
    }
  } else {
    showText(parent, item.response);
  }
}

async function render() {
  const item = await itemAt(position);
  $('where').textContent = (position + 1) + ' / ' + state.total + ' · ' + item.title;
  const prompt = $('prompt');
  prompt.replaceChildren();
  showText(prompt, item.prompt || '(no prompt)');
  const answer = $('answer');
  answer.replaceChildren();
  const panel = $('panel');
  panel.replaceChildren();
  if (state.mode === 'rate') {
    answer.appendChild(el('h2', 'Answer'));
    showAnswer(answer, item);
    const grade = item.grade || {scores: state.scales.map(() => null), autoFail: false, notes: ''};
    state.scales.forEach((scale, s) => {
      const row = el('div', null, 'scale');
      row.appendChild(el('h3', scale.name + (s === 0 ? ' (1-5)' : ' (Shift+1-5)')));
      for (let v = scale.low; v <= scale.high; ++v)
        row.appendChild(el('span', v, 'score' + (grade.scores[s] === v ? ' on' : '')));
      panel.appendChild(row);
    });
    if (grade.autoFail) panel.appendChild(el('p', 'auto-fail (0)', 'fail'));
    panel.appendChild(el('h3', 'Notes (n)'));
    const notes = el('textarea');
    notes.id = 'notes';
    notes.value = grade.notes;
    // Notes are saved as they are typed (a pause of 400 ms), on leaving the
    // field, and when the page goes away mid-pause: no keystroke is lost.
    notes.addEventListener('input', () => {
      clearTimeout(notesTimer);
      notesPending = {item, value: notes.value};
      notesTimer = setTimeout(saveNotes, 400);
    });
    notes.addEventListener('change', () => { notesPending = {item, value: notes.value}; saveNotes(); });
    panel.appendChild(notes);
  } else {
    const sides = el('div', null, 'sides');
    const keysOf = (action) => state.keys[action].map((code) => code.replace(/^(Digit|Key)/, '')).join('/');
    for (const [name, text] of [['Left (' + keysOf('left') + ')', item.left], ['Right (' + keysOf('right') + ')', item.right]]) {
      const side = el('div', null, 'side');
      side.appendChild(el('h2', name));
      showText(side, text);
      sides.appendChild(side);
    }
    answer.appendChild(sides);
    panel.appendChild(el('h3', keysOf('left') + ' left · ' + keysOf('equal') + ' equal · ' + keysOf('right') + ' right'));
    state.criteria.forEach((name, c) => {
      const choice = item.choices[name];
      panel.appendChild(el('div', name + ': ' + (choice || '—'), 'criterion' + (c === criterion ? ' selected' : '')));
    });
  }
}

function send(path, body) {
  pending.push({path, body});
  flush();
}

async function flush() {
  if (sending) return;
  sending = true;
  while (pending.length > 0) {
    status('saving');
    const next = pending[0];
    try {
      const response = await fetch(url(next.path), {method: 'POST', headers: {'Content-Type': 'application/json'},
                                                     body: JSON.stringify(next.body)});
      if (response.status >= 400 && response.status < 500) {
        const body = await response.json().catch(() => ({}));
        pending.shift();
        status('not saved: ' + (body.error || response.status), true);
        continue;
      }
      if (!response.ok) throw new Error('server error ' + response.status);
      pending.shift();
    } catch (error) {
      // The server is away (restarting): keep the change and try again.
      status('not saved yet, retrying: ' + error.message, true);
      sending = false;
      setTimeout(flush, 1000);
      return;
    }
  }
  sending = false;
  status('saved');
  try {
    await loadState();
  } catch (error) {
    // Saved, but the progress could not be refreshed (the server is restarting): the next save refreshes it.
  }
}

async function change(item, body, local) {
  if (!item.grade) item.grade = {scores: state.scales.map(() => null), autoFail: false, notes: ''};
  local(item.grade);
  body.item = item.item;
  send('/api/grade', body);
  await render();
}

async function vote(choice) {
  const item = await itemAt(position);
  const name = state.criteria[criterion];
  item.choices[name] = choice;
  send('/api/vote', {item: item.item, criterion: name, choice});
  criterion = Math.min(criterion + 1, state.criteria.length - 1);
  await render();
}

async function move(by) {
  const next = position + by;
  if (next < 0 || next >= state.total) return;
  position = next;
  criterion = 0;
  sessionStorage.setItem('label-position-' + state.grader, String(position));
  await render();
}

// What each remappable action does, for the '?' map; the keys come from the server (--keys).
const actionText = {
  back: 'back', next: 'next', clear: 'clear the first scale\'s score', notes: 'notes (Escape leaves)',
  disputed: 'the next disputed item', left: 'left is better', equal: 'equal', right: 'right is better',
  up: 'select the criterion above', down: 'select the criterion below',
};
const fixedKeys = {
  rate: [['1 … 5', 'score on the first scale'], ['Shift+1 … 5', 'score on the second scale'], ['0', 'auto-fail (0 on every scale)']],
  compare: [],
};
const actionOf = (code) => {
  for (const [action, codes] of Object.entries(state.keys)) if (codes.includes(code)) return action;
  return null;
};

function toggleKeys() {
  const box = $('keys');
  const table = $('key-table');
  table.replaceChildren();
  const rows = fixedKeys[state.mode].concat(Object.entries(state.keys).map(([action, codes]) => [codes.join(', '), actionText[action]]));
  rows.push(['?', 'this map']);
  for (const [key, what] of rows) {
    const row = el('tr');
    row.appendChild(el('td', key));
    row.appendChild(el('td', what));
    table.appendChild(row);
  }
  box.hidden = !box.hidden;
}

async function onKey(event) {
  if (!state) return;
  if (event.target && event.target.id === 'notes') {
    if (event.code === 'Escape') event.target.blur();
    return;
  }
  if (event.ctrlKey || event.metaKey || event.altKey) return;
  const code = event.code;
  if (code === 'Slash' && event.shiftKey) { event.preventDefault(); toggleKeys(); return; }
  const action = actionOf(code);
  if (action === 'back') { event.preventDefault(); await move(-1); return; }
  if (action === 'next') { event.preventDefault(); await move(1); return; }
  const digit = /^(?:Digit|Numpad)([0-9])$/.exec(code);
  if (state.mode === 'rate') {
    const item = await itemAt(position);
    if (digit && digit[1] === '0') {
      event.preventDefault();
      await change(item, {autoFail: true}, (g) => { g.autoFail = true; g.scores = g.scores.map(() => 0); });
    } else if (digit) {
      const s = event.shiftKey ? 1 : 0;
      const value = Number(digit[1]);
      const scale = state.scales[s];
      if (!scale || value < scale.low || value > scale.high) return;
      event.preventDefault();
      await change(item, {scale: s, score: value}, (g) => { g.scores[s] = value; g.autoFail = false; });
    } else if (action === 'clear') {
      event.preventDefault();
      await change(item, {scale: 0, score: null}, (g) => { g.scores[0] = null; g.autoFail = false; });
    } else if (action === 'disputed' && disputed.length > 0) {
      event.preventDefault();
      const next = disputed.find((p) => p > position);
      await move((next === undefined ? disputed[0] : next) - position);
    } else if (action === 'notes') {
      event.preventDefault();
      $('notes').focus();
    }
  } else {
    if (action === 'left' || action === 'equal' || action === 'right') {
      event.preventDefault();
      await vote(action);
    } else if (action === 'up') {
      event.preventDefault(); criterion = Math.max(0, criterion - 1); await render();
    } else if (action === 'down') {
      event.preventDefault(); criterion = Math.min(state.criteria.length - 1, criterion + 1); await render();
    }
  }
}

async function start() {
  try {
    await loadState();
    const saved = Number(sessionStorage.getItem('label-position-' + state.grader));
    if (Number.isInteger(saved) && saved >= 0 && saved < state.total) position = saved;
    await render();
    status('saved');
  } catch (error) {
    status('cannot load: ' + error.message, true);
  }
}

document.addEventListener('keydown', (event) => { onKey(event).catch((error) => status(error.message, true)); });
start();
})();
)PAGE";

}  // namespace prefline::label
