// Operator console: sign in, take customers from the queue, serve several chats side by side.
// Loaded as a module, so nothing here leaks into the global scope.

import { Transcript, errorText } from './transcript.js';

const SETTINGS_KEY = 'orleansSupport.operator';
const TYPING_THROTTLE_MS = 2000;
const TYPING_IDLE_MS = 3000;
const TYPING_SHOWN_MAX_MS = 10000; // hide the indicator even if the "stopped" signal is lost
const AUTHOR_LABEL = { System: 'System', Customer: 'Customer', Operator: 'You' };

const $ = (id) => document.getElementById(id);
const ui = {
  connection: $('connection'), reconnect: $('reconnect'), error: $('error'),
  form: $('sign-in-form'), operatorId: $('operator-id'), capacity: $('capacity'), signIn: $('sign-in'),
  languages: [...document.querySelectorAll('#sign-in-form input[name="language"]')],
  status: $('operator-status'), available: $('available'), acceptNext: $('accept-next'), notice: $('notice'),
  chats: $('chats'), template: $('chat-template'),
  loadEmail: $('load-email'), emailRequests: $('email-requests'), emailEmpty: $('email-empty'),
};

const connection = new signalR.HubConnectionBuilder()
  .withUrl('/hubs/operator')
  .withAutomaticReconnect()
  .build();

let settings = loadSettings(); // { operatorId, languages, capacity } last signed in with
let signedInAs = null; // the operator this connection is signed in as
let view = null; // latest OperatorView
let restarting = false; // an intended stop, not a lost connection
let starting = null; // the latest connection.start(), shared by whoever needs the connection up
const chats = new Map(); // sessionId -> chat panel state

// ---- errors and notices ----

function showError(e) {
  ui.error.textContent = errorText(e);
  ui.error.hidden = false;
}

function clearError() {
  ui.error.hidden = true;
  ui.error.textContent = '';
}

function showNotice(text) {
  ui.notice.textContent = text ?? '';
  ui.notice.hidden = !text;
}

function showConnection(text) {
  ui.connection.textContent = text ?? '';
  ui.connection.hidden = !text;
}

// ---- operator state ----

function loadSettings() {
  try {
    return JSON.parse(localStorage.getItem(SETTINGS_KEY));
  } catch {
    return null; // unreadable settings are as good as none
  }
}

function fillForm(s) {
  if (!s) return;
  ui.operatorId.value = s.operatorId;
  ui.capacity.value = String(s.capacity);
  for (const box of ui.languages) box.checked = s.languages.includes(box.value);
}

function readForm() {
  return {
    operatorId: ui.operatorId.value.trim(),
    languages: ui.languages.filter((box) => box.checked).map((box) => box.value),
    capacity: Number(ui.capacity.value),
  };
}

function renderView() {
  const signedIn = view !== null;
  ui.available.disabled = !signedIn;
  ui.acceptNext.disabled = !signedIn;
  ui.loadEmail.disabled = !signedIn;
  if (!signedIn) {
    ui.status.textContent = 'Not signed in.';
    return;
  }
  const active = view.activeChats.length;
  ui.status.textContent = `Signed in as ${view.operatorId} · ${view.languages.join(', ')} · `
    + `${active}/${view.capacity} chats · ${view.available ? 'available' : 'away'}`;
  ui.available.textContent = view.available ? 'Go away' : 'Go available';
  ui.available.setAttribute('aria-pressed', String(view.available));
  ui.available.dataset.available = String(view.available);
}

async function refreshStatus() {
  try {
    view = await connection.invoke('GetStatus');
    renderView();
  } catch (e) {
    showError(e);
  }
}

// SignIn binds this connection to the operator; then bring every chat panel up to date.
async function signIn(s) {
  if (signedInAs && signedInAs !== s.operatorId) await restartConnection();
  await connection.invoke('SignIn', s.operatorId, s.languages, s.capacity);
  signedInAs = s.operatorId;
  settings = s;
  localStorage.setItem(SETTINGS_KEY, JSON.stringify(s));

  view = await connection.invoke('GetStatus');
  renderView();
  for (const id of view.activeChats) {
    const chat = chats.get(id);
    if (chat) refresh(chat, 0);
    else openChat(id);
  }
  // Chats that ended while we were away: fetch their last lines, which also marks them ended.
  for (const chat of chats.values()) {
    if (!chat.ended && !view.activeChats.includes(chat.id)) refresh(chat);
  }
}

// A connection stays signed in as one operator, so switching operators needs a new one.
async function restartConnection() {
  restarting = true;
  try {
    await connection.stop();
    for (const chat of chats.values()) chat.el.remove();
    chats.clear();
    signedInAs = null;
    view = null;
    renderView();
    starting = connection.start();
    await starting;
  } finally {
    restarting = false;
  }
}

// Starts the connection unless it is up or on its way; callers share one start.
function ensureStarted() {
  if (connection.state === signalR.HubConnectionState.Disconnected) {
    showConnection('Connecting…');
    starting = connection.start();
  }
  return starting ?? Promise.resolve();
}

async function connect() {
  clearError();
  ui.reconnect.hidden = true;
  try {
    await ensureStarted();
    showConnection(null);
    if (settings) await signIn(settings);
  } catch (e) {
    if (connection.state !== signalR.HubConnectionState.Connected) showConnection('Not connected.');
    showError(e);
    ui.reconnect.hidden = false;
  }
}

// ---- chat panels ----

function openChat(sessionId) {
  let chat = chats.get(sessionId);
  if (chat) return chat;

  const el = ui.template.content.firstElementChild.cloneNode(true);
  el.dataset.session = sessionId;
  const q = (selector) => el.querySelector(selector);
  chat = {
    id: sessionId, el,
    title: q('.chat-title'), badge: q('.unread'), state: q('.chat-state'),
    endButton: q('.end-chat'), closeButton: q('.close-chat'),
    transcript: new Transcript(q('.transcript'), AUTHOR_LABEL), typing: q('.typing'),
    form: q('.composer'), input: q('.message-input'), send: q('.send'),
    ended: false, unread: 0, pending: null,
    lastTypingSent: 0, typingIdleTimer: 0, typingShownTimer: 0,
    loading: null, loadAgain: false, applying: false,
  };
  chat.title.textContent = `Chat ${sessionId.slice(0, 8)}`;
  chat.state.textContent = 'Chatting';
  wirePanel(chat);
  chats.set(sessionId, chat);
  ui.chats.append(el);
  refresh(chat, 0);
  return chat;
}

function wirePanel(chat) {
  // Looking at a panel (focus anywhere in it) counts as reading it.
  chat.el.addEventListener('focusin', () => setUnread(chat, 0));
  chat.el.addEventListener('pointerdown', () => setUnread(chat, 0));

  chat.form.addEventListener('submit', (event) => {
    event.preventDefault();
    send(chat);
  });
  chat.input.addEventListener('input', () => typing(chat));

  chat.endButton.addEventListener('click', async () => {
    clearError();
    try {
      stopTyping(chat);
      await connection.invoke('EndChat', chat.id);
      markEnded(chat);
      refreshStatus();
    } catch (e) {
      showError(e);
    }
  });

  chat.closeButton.addEventListener('click', () => {
    chat.el.remove();
    chats.delete(chat.id);
  });
}

// Fetches the chat from `after` on; overlapping calls share the one in flight and ask once more after.
function refresh(chat, after = chat.transcript.lastSeq) {
  if (chat.loading) {
    chat.loadAgain = true;
    return chat.loading;
  }
  chat.loading = (async () => {
    try {
      let from = after;
      do {
        chat.loadAgain = false;
        const session = await connection.invoke('GetChat', chat.id, from);
        chat.applying = true; // a gap left inside this answer cannot be filled by asking again
        try {
          applySession(chat, session);
        } finally {
          chat.applying = false;
        }
        from = chat.transcript.lastSeq;
      } while (chat.loadAgain);
    } catch (e) {
      showError(e);
    } finally {
      chat.loading = null;
    }
  })();
  return chat.loading;
}

function applySession(chat, session) {
  chat.title.textContent = `Chat ${session.sessionId.slice(0, 8)} · ${session.language}`;
  for (const m of session.messages) addMessage(chat, m, false);
  if (session.status === 'Ended') markEnded(chat);
}

function addMessage(chat, m, live) {
  if (!chat.transcript.add(m)) return;
  if (m.author === 'Customer') showTyping(chat, false);
  if (live && m.author !== 'Operator' && !isFocused(chat)) setUnread(chat, chat.unread + 1);
  if (chat.transcript.missesSomethingBefore(m.sequence) && !chat.applying) refresh(chat);
}

function isFocused(chat) {
  return document.hasFocus() && chat.el.contains(document.activeElement);
}

function setUnread(chat, count) {
  chat.unread = count;
  chat.badge.hidden = count === 0;
  chat.badge.textContent = String(count);
  chat.badge.title = `${count} unread`;
}

function markEnded(chat) {
  if (chat.ended) return;
  chat.ended = true;
  chat.el.dataset.ended = 'true';
  chat.state.textContent = 'Ended';
  chat.input.disabled = true;
  chat.send.disabled = true;
  chat.endButton.hidden = true;
  chat.closeButton.hidden = false;
  showTyping(chat, false);
  clearTimeout(chat.typingIdleTimer);
}

function showTyping(chat, on) {
  chat.typing.hidden = !on;
  clearTimeout(chat.typingShownTimer);
  if (on) chat.typingShownTimer = setTimeout(() => { chat.typing.hidden = true; }, TYPING_SHOWN_MAX_MS);
}

async function send(chat) {
  const text = chat.input.value.trim();
  if (!text || chat.ended) return;
  clearError();
  // Re-sending the same unacknowledged text keeps its id, so the server stores it only once.
  if (chat.pending?.text !== text) chat.pending = { id: newId(), text };
  const sending = chat.pending;
  chat.send.disabled = true;
  try {
    stopTyping(chat); // not awaited: calls on one connection reach the server in order
    addMessage(chat, await connection.invoke('SendMessage', chat.id, sending.id, sending.text), false);
    if (chat.pending === sending) chat.pending = null;
    if (chat.input.value.trim() === sending.text) chat.input.value = '';
  } catch (e) {
    showError(e);
  } finally {
    chat.send.disabled = chat.ended;
    if (!chat.ended) chat.input.focus();
  }
}

// Typing: tell the customer at most every 2 s, and say "stopped" after 3 s without keystrokes.
function typing(chat) {
  if (chat.ended) return;
  const now = Date.now();
  if (now - chat.lastTypingSent >= TYPING_THROTTLE_MS) {
    chat.lastTypingSent = now;
    connection.invoke('Typing', chat.id, true).catch(() => {}); // best effort
  }
  clearTimeout(chat.typingIdleTimer);
  chat.typingIdleTimer = setTimeout(() => stopTyping(chat), TYPING_IDLE_MS);
}

function stopTyping(chat) {
  clearTimeout(chat.typingIdleTimer);
  if (!chat.lastTypingSent) return;
  chat.lastTypingSent = 0;
  connection.invoke('Typing', chat.id, false).catch(() => {}); // best effort
}

// crypto.randomUUID needs a secure context; fall back to a random v4 UUID elsewhere.
function newId() {
  if (crypto.randomUUID) return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

// ---- e-mail inbox ----

// Everything in a request was typed by a customer: it is shown as text only.
function renderEmailRequests(requests = []) {
  ui.emailRequests.replaceChildren(...requests.map(emailRequestItem));
  ui.emailEmpty.hidden = requests.length > 0;
}

function emailRequestItem(r) {
  const li = document.createElement('li');
  li.className = 'email-request';
  li.dataset.reference = r.reference;

  const title = document.createElement('strong');
  title.className = 'email-reference';
  title.textContent = r.reference;

  const submitted = document.createElement('time');
  submitted.dateTime = r.submittedAt;
  const at = new Date(r.submittedAt);
  submitted.textContent = Number.isNaN(at.getTime()) ? String(r.submittedAt) : at.toLocaleString();

  const details = document.createElement('dl');
  for (const [label, value] of [
    ['Submitted', submitted], ['Language', r.language], ['Question', r.questionId],
    ['E-mail', r.email], ['Order number', r.orderNumber || '—'],
  ]) {
    const dt = document.createElement('dt');
    dt.textContent = label;
    const dd = document.createElement('dd');
    if (value instanceof Node) dd.append(value);
    else dd.textContent = value ?? '';
    details.append(dt, dd);
  }

  const text = document.createElement('p');
  text.className = 'email-text';
  text.textContent = r.text;

  li.append(title, details, text);
  return li;
}

// ---- server pushes ----

connection.on('ChatAssigned', (sessionId) => {
  openChat(sessionId);
  refreshStatus();
});
connection.on('ChatEnded', (sessionId) => {
  const chat = chats.get(sessionId);
  if (chat) {
    markEnded(chat);
    refresh(chat); // picks up the closing system line if its push was missed
  }
  refreshStatus();
});
connection.on('Message', (sessionId, message) => addMessage(openChat(sessionId), message, true));
connection.on('Typing', (sessionId, isTyping) => {
  const chat = chats.get(sessionId);
  if (chat && !chat.ended) showTyping(chat, isTyping);
});

connection.onreconnecting(() => showConnection('Connection lost — reconnecting…'));
connection.onreconnected(async () => {
  showConnection(null);
  // The new connection is not signed in: sign in again and reload every chat.
  if (!settings) return;
  try {
    await signIn(settings);
  } catch (e) {
    showError(e);
  }
});
connection.onclose(() => {
  if (restarting) return;
  signedInAs = null;
  showConnection('Disconnected.');
  ui.reconnect.hidden = false;
});

// ---- user actions ----

ui.reconnect.addEventListener('click', connect);

ui.form.addEventListener('submit', async (event) => {
  event.preventDefault();
  const s = readForm();
  if (s.languages.length === 0) {
    showError('Choose at least one language.');
    return;
  }
  clearError();
  ui.signIn.disabled = true;
  try {
    await ensureStarted();
    showConnection(null);
    await signIn(s);
  } catch (e) {
    showError(e);
  } finally {
    ui.signIn.disabled = false;
  }
});

ui.available.addEventListener('click', async () => {
  clearError();
  ui.available.disabled = true;
  try {
    view = await connection.invoke('SetAvailable', !view.available);
  } catch (e) {
    showError(e);
  } finally {
    renderView();
  }
});

ui.loadEmail.addEventListener('click', async () => {
  clearError();
  ui.loadEmail.disabled = true;
  try {
    renderEmailRequests(await connection.invoke('GetEmailRequests') ?? []);
  } catch (e) {
    showError(e);
  } finally {
    ui.loadEmail.disabled = view === null;
  }
});

ui.acceptNext.addEventListener('click', async () => {
  clearError();
  showNotice(null);
  ui.acceptNext.disabled = true;
  try {
    const sessionId = await connection.invoke('AcceptNext');
    if (sessionId) openChat(sessionId);
    else showNotice('No one is waiting right now.');
    await refreshStatus();
  } catch (e) {
    showError(e);
  } finally {
    ui.acceptNext.disabled = view === null;
  }
});

fillForm(settings);
renderView();
connect();
