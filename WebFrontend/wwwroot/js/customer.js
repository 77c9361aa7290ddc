// Customer page: start or resume a support session, queue for an operator, chat.
// Loaded as a module, so nothing here leaks into the global scope.

import { Transcript, errorText } from './transcript.js';

const TOKEN_KEY = 'orleansSupport.sessionToken';
const TYPING_THROTTLE_MS = 2000;
const TYPING_IDLE_MS = 3000;
const TYPING_SHOWN_MAX_MS = 10000; // hide the indicator even if the "stopped" signal is lost

const $ = (id) => document.getElementById(id);
const ui = {
  connection: $('connection'), reconnect: $('reconnect'), error: $('error'),
  startForm: $('start-form'), language: $('language'), start: $('start'),
  chat: $('chat'), status: $('status'), queueNumber: $('queue-number'),
  help: $('livechat-help'), end: $('end'), newChat: $('new-chat'),
  transcript: $('transcript'), typing: $('typing'),
  composer: $('composer'), input: $('message-input'), send: $('send'),
};

const STATUS_TEXT = {
  Browsing: 'Browsing — ask for an operator whenever you need one',
  Queued: 'Queued — waiting for an operator',
  Chatting: 'Chatting with an operator',
  Ended: 'Ended — this chat is over',
};
const AUTHOR_LABEL = { System: 'System', Customer: 'You', Operator: 'Operator' };

const connection = new signalR.HubConnectionBuilder()
  .withUrl('/hubs/customer')
  .withAutomaticReconnect()
  .build();

let token = localStorage.getItem(TOKEN_KEY);
let status = null;
let place = null;
let pending = null; // { id, text } of an unacknowledged send, so a retry reuses its id
let lastTypingSent = 0;
let typingIdleTimer = 0;
let typingShownTimer = 0;
let resuming = null; // the Resume in flight, so overlapping triggers share one call
let resumeAgain = false;
let applyingResume = false;

// ---- transcript: ordered by sequence, each sequence shown once ----

const transcript = new Transcript(ui.transcript, AUTHOR_LABEL);

function addMessage(m) {
  if (!transcript.add(m)) return;
  if (m.author === 'Operator') showTyping(false);
  if (transcript.missesSomethingBefore(m.sequence) && !applyingResume) resume();
}

// ---- state and rendering ----

function setStatus(next) {
  status = next;
  render();
}

function render() {
  const hasSession = Boolean(token) && status !== null;
  ui.startForm.hidden = Boolean(token);
  ui.chat.hidden = !hasSession;
  if (!hasSession) return;

  ui.status.textContent = `Status: ${STATUS_TEXT[status] ?? status}`;
  ui.status.dataset.status = status;

  const queued = status === 'Queued' && place !== null;
  ui.queueNumber.hidden = !queued;
  if (queued) ui.queueNumber.textContent = `You are number ${place.position} in the queue`;

  ui.help.hidden = status !== 'Browsing';
  ui.end.hidden = status === 'Ended';
  ui.end.textContent = status === 'Queued' ? 'Leave queue' : 'End chat';
  ui.newChat.hidden = status !== 'Ended';

  const chatting = status === 'Chatting';
  ui.input.disabled = !chatting;
  ui.send.disabled = !chatting;
  if (!chatting) showTyping(false);
}

function applyView(view) {
  status = view.status;
  place = view.place ?? null;
  for (const m of view.messages) addMessage(m);
  render();
}

function showTyping(on) {
  ui.typing.hidden = !on;
  clearTimeout(typingShownTimer);
  if (on) typingShownTimer = setTimeout(() => { ui.typing.hidden = true; }, TYPING_SHOWN_MAX_MS);
}

// ---- errors ----

function showError(e) {
  ui.error.textContent = typeof e === 'string' ? e : errorText(e);
  ui.error.hidden = false;
}

function clearError() {
  ui.error.hidden = true;
  ui.error.textContent = '';
}

// ---- connection ----

function showConnection(text) {
  ui.connection.textContent = text ?? '';
  ui.connection.hidden = !text;
}

// Brings us up to date with the session: state, queue place, and any messages we missed.
// Overlapping triggers (a gap, a reconnect) share the call in flight and ask once more after it.
function resume() {
  if (!token) return Promise.resolve();
  if (resuming) {
    resumeAgain = true;
    return resuming;
  }
  resuming = (async () => {
    try {
      do {
        resumeAgain = false;
        try {
          const view = await connection.invoke('Resume', token, transcript.lastSeq);
          applyingResume = true; // a gap left inside a Resume answer cannot be filled by asking again
          applyView(view);
        } catch (e) {
          if (!resumeAgain) throw e; // a newer trigger (e.g. reconnected) gets its own try
        } finally {
          applyingResume = false;
        }
      } while (resumeAgain);
      ui.reconnect.hidden = true;
    } catch (e) {
      if (errorText(e).startsWith('unknown-session')) {
        forgetSession(); // the session is gone (or the token is bad): start over
      } else {
        showError(e);
        ui.reconnect.hidden = false; // lets the user retry
      }
    } finally {
      resuming = null;
    }
  })();
  return resuming;
}

function forgetSession() {
  localStorage.removeItem(TOKEN_KEY);
  token = null;
  status = null;
  place = null;
  pending = null;
  transcript.clear();
  render();
}

async function connect() {
  clearError();
  ui.reconnect.hidden = true;
  ui.start.disabled = true;
  try {
    if (connection.state === signalR.HubConnectionState.Disconnected) {
      showConnection('Connecting…');
      await connection.start();
    }
    showConnection(null);
    await resume();
  } catch (e) {
    showConnection('Not connected.');
    showError(e);
    ui.reconnect.hidden = false;
  } finally {
    ui.start.disabled = false;
    render();
  }
}

connection.on('QueuePosition', (p) => {
  place = p;
  render();
});
connection.on('Message', addMessage);
connection.on('StatusChanged', setStatus);
connection.on('Typing', (isTyping) => showTyping(isTyping && status === 'Chatting'));

connection.onreconnecting(() => showConnection('Connection lost — reconnecting…'));
connection.onreconnected(() => {
  showConnection(null);
  resume(); // a new connection is not bound to the session until it resumes
});
connection.onclose(() => {
  showConnection('Disconnected.');
  ui.reconnect.hidden = false;
});

// ---- user actions ----

ui.reconnect.addEventListener('click', connect);

ui.startForm.addEventListener('submit', async (event) => {
  event.preventDefault();
  clearError();
  ui.start.disabled = true;
  try {
    const started = await connection.invoke('StartSession', ui.language.value);
    token = started.sessionToken;
    localStorage.setItem(TOKEN_KEY, token);
    applyView(started.session);
  } catch (e) {
    showError(e);
  } finally {
    ui.start.disabled = false;
  }
});

ui.help.addEventListener('click', async () => {
  clearError();
  ui.help.disabled = true;
  try {
    const p = await connection.invoke('RequestOperator');
    // An operator may already have been assigned (pushed before this reply); never step back.
    if (status === 'Browsing') status = 'Queued';
    if (status === 'Queued') place = p;
    render();
  } catch (e) {
    showError(e);
  } finally {
    ui.help.disabled = false;
  }
});

ui.end.addEventListener('click', async () => {
  clearError();
  try {
    stopTyping(); // not awaited: calls on one connection reach the server in order
    await connection.invoke('End');
    setStatus('Ended');
  } catch (e) {
    showError(e);
  }
});

// A connection belongs to one session, so a fresh chat needs a fresh page (and connection).
ui.newChat.addEventListener('click', () => {
  localStorage.removeItem(TOKEN_KEY);
  location.reload();
});

ui.composer.addEventListener('submit', async (event) => {
  event.preventDefault();
  const text = ui.input.value.trim();
  if (!text || status !== 'Chatting') return;
  clearError();
  // Re-sending the same unacknowledged text keeps its id, so the server stores it only once.
  if (pending?.text !== text) pending = { id: newId(), text };
  const sending = pending;
  ui.send.disabled = true;
  try {
    stopTyping(); // not awaited: calls on one connection reach the server in order
    addMessage(await connection.invoke('SendMessage', sending.id, sending.text));
    if (pending === sending) pending = null;
    if (ui.input.value.trim() === sending.text) ui.input.value = '';
  } catch (e) {
    showError(e);
  } finally {
    ui.send.disabled = status !== 'Chatting';
    ui.input.focus();
  }
});

// Typing: tell the operator at most every 2 s, and say "stopped" after 3 s without keystrokes.
ui.input.addEventListener('input', () => {
  if (status !== 'Chatting') return;
  const now = Date.now();
  if (now - lastTypingSent >= TYPING_THROTTLE_MS) {
    lastTypingSent = now;
    connection.invoke('Typing', true).catch(() => {}); // best effort
  }
  clearTimeout(typingIdleTimer);
  typingIdleTimer = setTimeout(stopTyping, TYPING_IDLE_MS);
});

function stopTyping() {
  clearTimeout(typingIdleTimer);
  if (!lastTypingSent) return;
  lastTypingSent = 0;
  connection.invoke('Typing', false).catch(() => {}); // best effort
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

render();
connect();
