// Supervisor dashboard: live queue numbers with charts of the last hour, operator totals, and each
// operator's capacity and each queue's opening hours, changeable at run time. The login is the operator console's cookie; the server
// checks the role on every request, this page only avoids showing what it would refuse anyway.

import { ApiError, me } from './account-api.js';
import { minuteChart } from './chart.js';
import { fetchJson, problemText } from './http.js';

const POLL_MS = 2000;
const REQUEST_TIMEOUT_MS = 10000; // a hung request must not stop the polling for good
const CAPACITY_MAX = 20; // the server's limit, only for the hint on a value that is not a number
// Each frontend caches a language's hours for up to 3 s, so a poll answered by another host may still
// show the hours from before a change; for this long such answers do not undo what was just saved.
const HOURS_HOLD_MS = 5000;

const $ = (id) => document.getElementById(id);
const ui = {
  loading: $('dashboard-loading'), denied: $('dashboard-denied'), deniedReason: $('dashboard-denied-reason'),
  status: $('dashboard-status'), updated: $('dashboard-updated'), whoami: $('whoami'),
  error: $('error'), dashboard: $('dashboard'),
  online: $('operators-online'), busy: $('operators-busy'), away: $('operators-away'),
  chatsActive: $('chats-active'), rating: $('rating-average'),
  queues: $('queues'), queueTemplate: $('queue-template'),
  operatorRows: document.querySelector('#operators-table tbody'), operatorsEmpty: $('operators-empty'),
  rowTemplate: $('operator-row-template'),
};

let denied = false; // once refused, the page stays a message until it is reloaded
let pollTimer = null;
let pollSeq = 0; // numbers each poll, so a reply that left before a capacity change cannot undo it
const cards = new Map(); // language -> queue card parts and hours edit state
let hoursForms = 0; // numbers the hours forms for element ids (language codes come from configuration)
const rows = new Map(); // userName -> operator row parts and edit state

// ---- talking to the server ----

// A time limit too: the next poll is only planned when this one has ended.
async function api(url, { method = 'GET', body } = {}) {
  try {
    return await fetchJson(url, { method, body, timeoutMs: REQUEST_TIMEOUT_MS });
  } catch (e) {
    if (e.status === 0) throw new ApiError(0, e.reason === 'timeout' ? 'The server did not answer in time.' : 'Cannot reach the server.');
    throw new ApiError(e.status, problemText(e.body) ?? `The server answered ${e.status}.`, e.body);
  }
}

const isRefused = (e) => e?.status === 401 || e?.status === 403;

// ---- formatting ----

const pad2 = (n) => String(n).padStart(2, '0');

function count(value) {
  const n = Number(value);
  return value !== null && value !== undefined && Number.isFinite(n) ? String(n) : '—';
}

// Seconds as mm:ss; minutes keep counting past 59 (a wait of over an hour is rare and should look long).
function mmss(seconds) {
  const n = Number(seconds);
  if (seconds === null || seconds === undefined || !Number.isFinite(n)) return '—';
  const s = Math.max(0, Math.round(n));
  return `${pad2(Math.floor(s / 60))}:${pad2(s % 60)}`;
}

const clock = (d) => `${pad2(d.getHours())}:${pad2(d.getMinutes())}:${pad2(d.getSeconds())}`;

const perMinute = (values) => (Array.isArray(values) ? values.map((v) => Number(v) || 0) : []);
const sum = (values) => perMinute(values).reduce((a, b) => a + b, 0);
const lastOf = (values) => perMinute(values).at(-1) ?? 0;

function ratingText(ratings) {
  const n = Number(ratings?.count) || 0;
  if (n <= 0 || ratings?.average === null || ratings?.average === undefined) return '—';
  return `${Number(ratings.average).toFixed(1)} (${n} ${n === 1 ? 'rating' : 'ratings'})`;
}

// ---- page states ----

function showError(text) {
  ui.error.textContent = text;
  ui.error.hidden = false;
}

function clearError() {
  ui.error.textContent = '';
  ui.error.hidden = true;
}

/** Not logged in, or not a supervisor: drop every number already shown and leave only the message. */
function deny(reason) {
  denied = true;
  clearTimeout(pollTimer);
  pollTimer = null;
  cards.clear();
  rows.clear();
  ui.queues.replaceChildren();
  ui.operatorRows.replaceChildren();
  ui.dashboard.hidden = true;
  ui.status.hidden = true;
  ui.loading.hidden = true;
  clearError();
  ui.deniedReason.textContent = reason;
  ui.denied.hidden = false;
}

function denyFor(e) {
  deny(e.status === 401
    ? 'Your login has ended. Sign in again as a supervisor to see the dashboard.'
    : 'Your account may not see the dashboard: it is for supervisors only.');
}

async function start() {
  let account;
  try {
    account = await me();
  } catch (e) {
    if (e.status === 401) {
      deny('You are not signed in. Sign in as a supervisor to see the dashboard.');
      return;
    }
    // The server may be restarting: say so and ask again rather than send the supervisor away.
    showError(`Cannot check your login: ${e.message}`);
    setTimeout(start, POLL_MS);
    return;
  }
  if (account?.role !== 'Supervisor') {
    deny(`You are signed in as ${account?.displayName ?? account?.userName ?? 'someone'} (${account?.role ?? 'no role'}). `
      + 'The dashboard is for supervisors only.');
    return;
  }
  clearError();
  ui.loading.hidden = true;
  ui.whoami.textContent = `Signed in as ${account.displayName} (${account.role})`;
  ui.status.hidden = false;
  ui.dashboard.hidden = false;
  poll();
}

// One request at a time: the next is planned when this one has ended, so a slow server is never piled on.
async function poll() {
  pollTimer = null;
  const seq = ++pollSeq;
  try {
    const data = await api('/api/dashboard');
    if (denied) return;
    render(data ?? {}, seq);
    // The browser's clock, not generatedAt: the supervisor judges staleness against their own clock.
    ui.updated.textContent = `Updated ${clock(new Date())}`;
    clearError();
  } catch (e) {
    if (denied) return;
    if (isRefused(e)) {
      denyFor(e);
      return;
    }
    // The last numbers stay up; "Updated" tells how old they are. Polling goes on.
    showError(`Cannot update the dashboard: ${e.message}`);
  }
  pollTimer = setTimeout(poll, POLL_MS);
}

function render(data, seq) {
  const ops = data.operators ?? {};
  ui.online.textContent = count(ops.online);
  ui.busy.textContent = count(ops.busy);
  ui.away.textContent = count(ops.away);
  ui.chatsActive.textContent = count(data.chatsActive);
  ui.rating.textContent = ratingText(data.ratings);
  renderQueues(Array.isArray(data.queues) ? data.queues : [], seq);
  renderOperators(Array.isArray(ops.list) ? ops.list : [], seq);
}

// Reorders only when the order really changed: moving a row takes the focus out of its capacity field.
function keepOrder(parent, elements) {
  const current = [...parent.children];
  if (current.length === elements.length && current.every((el, i) => el === elements[i])) return;
  parent.replaceChildren(...elements);
}

// ---- queues ----

function queueCard(language) {
  const root = ui.queueTemplate.content.firstElementChild.cloneNode(true);
  root.dataset.language = language;
  const part = (name) => root.querySelector(`.${name}`);
  const card = {
    root, code: language,
    name: part('q-name'), language: part('q-language'), open: part('q-open'), hours: part('q-hours'),
    waiting: part('q-waiting'), away: part('q-away'), longest: part('q-longest'), average: part('q-average'),
    estimated: part('q-estimated'), served: part('q-served'), servedMinute: part('q-served-minute'),
    abandoned: part('q-abandoned'),
    waitingChart: part('chart-slot-waiting'), servedChart: part('chart-slot-served'),
    form: part('hours-form'), always: part('hours-always'), opens: part('hours-opens'), closes: part('hours-closes'),
    save: part('hours-save'), reset: part('hours-reset'), result: part('hours-result'),
    edited: false, // the supervisor changed the form and has not saved: polls must not overwrite it
    edits: 0, // counts changes, so an answer does not overwrite what was typed while it was on its way
    busy: false, // a save or reset is on its way
    hold: null, // after a change: { from, until, expect, before }, see shownHours
  };
  hoursForms += 1;
  card.result.id = `hours-result-${hoursForms}`;
  for (const field of [card.opens, card.closes]) {
    field.setAttribute('aria-describedby', card.result.id);
  }
  const edit = (event) => {
    card.edited = true;
    card.edits += 1;
    event.target.removeAttribute('aria-invalid');
    syncHoursFields(card);
  };
  card.form.addEventListener('input', edit);
  card.form.addEventListener('change', edit);
  card.form.addEventListener('submit', (event) => {
    event.preventDefault();
    saveHours(card);
  });
  card.reset.addEventListener('click', () => resetHours(card));
  return card;
}

function renderQueues(queues, seq) {
  const shown = [];
  const seen = new Set();
  for (const q of queues) {
    const language = String(q?.language ?? '');
    if (seen.has(language)) continue; // one card per language, whatever the server sends
    seen.add(language);
    let card = cards.get(language);
    if (!card) {
      card = queueCard(language);
      cards.set(language, card);
    }
    fillQueue(card, q, language, seq);
    shown.push(card.root);
  }
  for (const language of [...cards.keys()]) if (!seen.has(language)) cards.delete(language);
  keepOrder(ui.queues, shown);
}

function fillQueue(card, q, language, seq) {
  const stats = q.stats ?? {};
  const name = q.name ? String(q.name) : language;
  card.name.textContent = name;
  card.language.textContent = language;
  card.open.textContent = q.open ? 'Open' : 'Closed';
  card.open.classList.toggle('is-open', Boolean(q.open));
  card.open.classList.toggle('is-closed', !q.open);
  card.root.classList.toggle('closed', !q.open);
  card.form.setAttribute('aria-label', `Opening hours of ${name}`);
  fillHours(card, q.hours, seq);
  card.waiting.textContent = count(stats.waiting);
  card.away.textContent = count(stats.away); // no connection now: passed over, and gone after the grace
  card.longest.textContent = mmss(stats.longestWaitSeconds);
  card.average.textContent = mmss(stats.averageWaitSeconds);
  card.estimated.textContent = mmss(stats.estimatedWaitSeconds); // null: no estimate yet, shown as "—"
  card.served.textContent = String(sum(stats.servedPerMinute));
  card.servedMinute.textContent = String(lastOf(stats.servedPerMinute));
  card.abandoned.textContent = String(sum(stats.abandonedPerMinute));
  card.waitingChart.replaceChildren(minuteChart(stats.waitingPerMinute,
    { kind: 'line', className: 'chart-waiting', label: `${name}: customers waiting per minute` }));
  card.servedChart.replaceChildren(minuteChart(stats.servedPerMinute,
    { kind: 'bars', className: 'chart-served', label: `${name}: customers served per minute` }));
}

// ---- queue opening hours ----

/** The server's hours as { alwaysOpen, opens, closes }, or null when the answer has none. */
function hoursOf(value) {
  if (!value || typeof value !== 'object') return null;
  return {
    alwaysOpen: Boolean(value.alwaysOpen),
    opens: typeof value.opens === 'string' ? value.opens : null,
    closes: typeof value.closes === 'string' ? value.closes : null,
  };
}

// Open around the clock, the times do not matter (the server keeps but ignores them).
function sameHours(a, b) {
  if (!a || !b || a.alwaysOpen !== b.alwaysOpen) return false;
  return a.alwaysOpen || (a.opens === b.opens && a.closes === b.closes);
}

// "24:00" stays as the server writes it: supervisors set it that way, so they should see it that way.
function hoursText(hours) {
  if (!hours) return '—';
  if (hours.alwaysOpen) return '24/7';
  return hours.opens && hours.closes ? `${hours.opens}–${hours.closes}` : '—';
}

/**
 * The hours to show for this poll, or undefined to leave what is shown. Right after a change, polls that
 * left before it, or that another host answered from its cache, would show the old hours: those are held
 * off until a fresh poll shows the change (a save: the saved hours; a reset: anything else) or time is up.
 */
function shownHours(card, hours, seq) {
  const hold = card.hold;
  if (!hold) return hours;
  if (seq >= hold.from) {
    const arrived = hold.expect ? sameHours(hours, hold.expect) : !sameHours(hours, hold.before);
    if (arrived || Date.now() >= hold.until) {
      card.hold = null;
      return hours;
    }
  }
  return hold.expect ?? undefined;
}

function syncHoursFields(card) {
  // With 24/7 the times do not apply; they stay filled in for when it is unchecked again.
  card.opens.disabled = card.always.checked;
  card.closes.disabled = card.always.checked;
}

function fillHoursForm(card, hours) {
  card.always.checked = hours.alwaysOpen;
  // 24/7 without times: keep what is in the boxes rather than blank them.
  if (hours.opens !== null || !hours.alwaysOpen) card.opens.value = hours.opens ?? '';
  if (hours.closes !== null || !hours.alwaysOpen) card.closes.value = hours.closes ?? '';
  card.opens.removeAttribute('aria-invalid');
  card.closes.removeAttribute('aria-invalid');
  syncHoursFields(card);
}

// Focus on a field counts as editing too (as in the capacity editor); focus on a button does not, or
// the form would stay stale after "Back to configured hours" until the supervisor clicked elsewhere.
function editingHours(card) {
  const active = document.activeElement;
  return card.edited || card.busy || active === card.always || active === card.opens || active === card.closes;
}

function fillHours(card, value, seq) {
  const hours = shownHours(card, hoursOf(value), seq);
  if (hours === undefined) return;
  card.current = hours;
  card.hours.textContent = hoursText(hours);
  if (hours && !editingHours(card)) fillHoursForm(card, hours);
}

function showHoursResult(card, text, ok) {
  card.result.textContent = text;
  card.result.hidden = !text;
  card.result.classList.toggle('ok', ok === true);
  card.result.classList.toggle('failed', ok === false);
}

function setHoursBusy(card, busy) {
  card.busy = busy;
  card.save.disabled = busy;
  card.reset.disabled = busy;
}

const hoursUrl = (card) => `/api/languages/${encodeURIComponent(card.code)}/hours`;

// A refusal (401/403) ends the page; any other failure is the server's text on the result line.
function hoursFailed(card, e) {
  if (denied) return;
  if (isRefused(e)) {
    denyFor(e);
    return;
  }
  if (e.status === 400) {
    // Only a highlight: the server's sentence names the time it could not take.
    const detail = e.message;
    if (detail.includes('Opens')) card.opens.setAttribute('aria-invalid', 'true');
    if (detail.includes('Closes')) card.closes.setAttribute('aria-invalid', 'true');
  }
  showHoursResult(card, e.message, false);
}

async function saveHours(card) {
  if (card.busy || denied) return;
  const alwaysOpen = card.always.checked;
  const opens = card.opens.value.trim();
  const closes = card.closes.value.trim();
  if (!alwaysOpen) {
    // Only empty boxes are caught here: the server would quietly fill them from configuration.
    // Whether a time is valid is the server's to judge and explain.
    const empty = [[card.opens, opens], [card.closes, closes]].filter(([, text]) => text === '');
    if (empty.length > 0) {
      for (const [field] of empty) field.setAttribute('aria-invalid', 'true');
      showHoursResult(card, 'Enter both times as HH:mm (e.g. 08:00 and 20:00), or check Open 24/7.', false);
      empty[0][0].focus();
      return;
    }
  }
  // With 24/7 the times are ignored; null keeps the configured ones instead of storing unchecked text.
  const body = alwaysOpen ? { alwaysOpen: true, opens: null, closes: null } : { alwaysOpen: false, opens, closes };
  const edits = card.edits;
  setHoursBusy(card, true);
  showHoursResult(card, 'Saving…', null);
  try {
    await api(hoursUrl(card), { method: 'PUT', body });
    if (denied) return;
    card.hold = { from: pollSeq + 1, until: Date.now() + HOURS_HOLD_MS, expect: body, before: card.current ?? null };
    card.current = body;
    card.hours.textContent = hoursText(body);
    // Whatever was typed while the request was on its way stays, still unsaved.
    if (card.edits === edits) {
      card.edited = false;
      fillHoursForm(card, body);
    }
    showHoursResult(card, `Saved: ${alwaysOpen ? 'open 24/7' : hoursText(body)}`, true);
  } catch (e) {
    hoursFailed(card, e);
  } finally {
    setHoursBusy(card, false);
  }
}

async function resetHours(card) {
  if (card.busy || denied) return;
  const edits = card.edits;
  setHoursBusy(card, true);
  showHoursResult(card, 'Resetting…', null);
  try {
    await api(hoursUrl(card), { method: 'DELETE' });
    if (denied) return;
    // The configured hours are not known here; the next fresh poll brings them.
    card.hold = { from: pollSeq + 1, until: Date.now() + HOURS_HOLD_MS, expect: null, before: card.current ?? null };
    if (card.edits === edits) card.edited = false;
    card.opens.removeAttribute('aria-invalid');
    card.closes.removeAttribute('aria-invalid');
    showHoursResult(card, 'Back to the configured hours.', true);
  } catch (e) {
    hoursFailed(card, e);
  } finally {
    setHoursBusy(card, false);
  }
}

// ---- operators and their capacity ----

function operatorRow(userName) {
  const tr = ui.rowTemplate.content.firstElementChild.cloneNode(true);
  tr.dataset.user = userName;
  const part = (name) => tr.querySelector(`.${name}`);
  const row = {
    tr, userName,
    user: part('op-user'), name: part('op-name'), online: part('op-online'), available: part('op-available'),
    chats: part('op-chats'), languages: part('op-languages'),
    form: part('capacity-form'), input: part('capacity-input'), save: part('capacity-save'),
    result: part('capacity-result'),
    edited: false, // the supervisor typed a value not yet saved: polls must not overwrite it
    saving: false,
    freshFrom: 0, // polls numbered below this left before the last save and may show the old capacity
    savedCapacity: null,
  };
  // User names are a-z, 0-9, dot, underscore, hyphen: safe inside an id.
  row.result.id = `capacity-result-${userName}`;
  row.input.setAttribute('aria-describedby', row.result.id);
  row.input.setAttribute('aria-label', `Capacity of ${userName}`);
  row.input.addEventListener('input', () => {
    row.edited = true;
    row.input.removeAttribute('aria-invalid');
  });
  row.form.addEventListener('submit', (event) => {
    event.preventDefault();
    saveCapacity(row);
  });
  return row;
}

function renderOperators(list, seq) {
  const shown = [];
  const seen = new Set();
  for (const op of list) {
    const userName = String(op?.userName ?? '');
    if (!userName || seen.has(userName)) continue;
    seen.add(userName);
    let row = rows.get(userName);
    if (!row) {
      row = operatorRow(userName);
      rows.set(userName, row);
    }
    fillOperator(row, op, seq);
    shown.push(row.tr);
  }
  for (const userName of [...rows.keys()]) if (!seen.has(userName)) rows.delete(userName);
  keepOrder(ui.operatorRows, shown);
  ui.operatorsEmpty.hidden = shown.length > 0;
}

function flag(cell, on) {
  cell.textContent = on ? 'Yes' : 'No';
  cell.classList.toggle('flag-yes', on);
  cell.classList.toggle('flag-no', !on);
}

function showChats(row, activeChats, capacity) {
  row.chats.textContent = `${count(activeChats)} / ${count(capacity)}`;
  row.chats.classList.toggle('full', Number(activeChats) >= Number(capacity));
}

function fillOperator(row, op, seq) {
  row.user.textContent = row.userName;
  row.name.textContent = op.displayName ?? '';
  flag(row.online, Boolean(op.online));
  flag(row.available, Boolean(op.available));
  row.languages.textContent = Array.isArray(op.languages) ? op.languages.join(', ') : '';
  const capacity = seq < row.freshFrom ? row.savedCapacity : op.capacity;
  showChats(row, op.activeChats, capacity);
  // Never overwrite what the supervisor is typing or about to save.
  if (!row.edited && !row.saving && document.activeElement !== row.input) row.input.value = count(capacity);
}

function showResult(row, text, ok) {
  row.result.textContent = text;
  row.result.hidden = !text;
  row.result.classList.toggle('ok', ok === true);
  row.result.classList.toggle('failed', ok === false);
}

async function saveCapacity(row) {
  if (row.saving || denied) return;
  const raw = row.input.value.trim();
  const capacity = Number(raw);
  // Only "not a whole number" is caught here; the range is the server's to judge and explain.
  if (raw === '' || !Number.isInteger(capacity)) {
    row.input.setAttribute('aria-invalid', 'true');
    showResult(row, `Enter a whole number of chats, 1 to ${CAPACITY_MAX}.`, false);
    row.input.focus();
    return;
  }
  row.saving = true;
  row.save.disabled = true;
  showResult(row, 'Saving…', null);
  try {
    const view = await api(`/api/operators/${encodeURIComponent(row.userName)}/capacity`,
      { method: 'PUT', body: { capacity } });
    if (denied) return;
    const saved = Number(view?.capacity ?? capacity);
    row.edited = false;
    row.savedCapacity = saved;
    row.freshFrom = pollSeq + 1;
    row.input.value = String(saved);
    row.input.removeAttribute('aria-invalid');
    if (Array.isArray(view?.activeChats)) showChats(row, view.activeChats.length, saved);
    showResult(row, `Saved: up to ${saved} ${saved === 1 ? 'chat' : 'chats'}.`, true);
  } catch (e) {
    if (denied) return;
    if (isRefused(e)) {
      denyFor(e);
      return;
    }
    if (e.status === 400) row.input.setAttribute('aria-invalid', 'true');
    showResult(row, e.message, false);
  } finally {
    row.saving = false;
    row.save.disabled = false;
  }
}

start();
