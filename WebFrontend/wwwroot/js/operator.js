// Operator console: log in, start work, take customers from the queue, serve several chats side by side.
// Supervisors also manage accounts here. Loaded as a module, so nothing here leaks into the global scope.

import { Transcript, errorText, errorCode } from './transcript.js';
import { login, logout, me, listAccounts, createAccount, setAccountDisabled, changePassword } from './account-api.js';
import { findQuestion } from './operator-catalog.js';
import { CannedReplies } from './operator-canned.js';
import { t } from './i18n.js';
import { retryWhileUnavailable } from './retry.js';

const SETTINGS_KEY = 'orleansSupport.operator'; // + ':' + user name: each account keeps its own
const TYPING_THROTTLE_MS = 2000;
const TYPING_IDLE_MS = 3000;
const TYPING_SHOWN_MAX_MS = 10000; // hide the indicator even if the "stopped" signal is lost
const RETRY_DELAYS_MS = [0, 2000, 10000, 30000]; // SignalR's default automatic reconnect
const AUTHOR_LABEL = { System: 'System', Customer: 'Customer', Operator: 'You' };
const LOGIN_ENDED = 'Your login has ended (it expired, or you logged out elsewhere). Please sign in again.';
const QUEUE_LANGUAGES = ['en', 'ru'];
const CANNED_LABEL_MAX = 80; // longer replies are cut in the picker (the whole text is its tooltip)

const $ = (id) => document.getElementById(id);
const ui = {
  connection: $('connection'), reconnect: $('reconnect'), error: $('error'),
  whoami: $('whoami'), logout: $('logout'), work: $('work-area'), dashboardLink: $('dashboard-link'),
  loginForm: $('login-form'), loginUser: $('login-user'), loginPassword: $('login-password'),
  loginSubmit: $('login-submit'), loginError: $('login-error'),
  form: $('sign-in-form'), capacity: $('capacity'), signIn: $('sign-in'),
  languages: [...document.querySelectorAll('#sign-in-form input[name="language"]')],
  status: $('operator-status'), available: $('available'), acceptNext: $('accept-next'), notice: $('notice'),
  chats: $('chats'), template: $('chat-template'),
  loadEmail: $('load-email'), emailRequests: $('email-requests'), emailEmpty: $('email-empty'), moreEmail: $('more-email'),
  cannedLanguage: $('canned-language'), cannedText: $('canned-text'), cannedSave: $('canned-save'),
  cannedStatus: $('canned-status'),
  accountsSection: $('accounts-section'), accounts: $('accounts'),
  passwordChange: $('password-change'), passwordForm: $('password-form'), passwordSubmit: $('password-submit'),
  currentPassword: $('current-password'), currentPasswordError: $('current-password-error'),
  changedPassword: $('changed-password'), changedPasswordError: $('changed-password-error'),
  newAccountForm: $('new-account-form'), newAccountSubmit: $('new-account-submit'),
  newAccountError: $('new-account-error'), newAccountResult: $('new-account-result'),
};

// The new-account fields by the name the server uses for them in a ValidationProblem.
const accountFields = Object.fromEntries(
  [['userName', 'new-user'], ['displayName', 'new-display-name'], ['password', 'new-password'], ['role', 'new-role']]
    .map(([name, id]) => [name, { input: $(id), error: $(`${id}-error`) }]),
);

let account = null; // { userName, displayName, role } while logged in
let connection = null; // the hub connection of this login; built after login, dropped at logout
let starting = null; // the latest connection.start(), shared by whoever needs the connection up
let settings = null; // { languages, capacity } this account last started work with
let view = null; // latest OperatorView; null until work has started on this connection
const chats = new Map(); // sessionId -> chat panel state
const canned = new CannedReplies(invoke); // canned replies per language, shared by panels and editor
// The canned-reply editor: loaded = the language whose list is in the text box (null: none yet).
const editor = { loaded: null, loading: false, saving: false, dirty: false, seq: 0 };

// ---- errors and notices ----

function showError(e) {
  ui.error.textContent = errorText(e);
  ui.error.hidden = false;
}

function clearError() {
  ui.error.hidden = true;
  ui.error.textContent = '';
}

// One place for failures: an ended login brings back the login form, anything else the error line.
function fail(e) {
  if (!account) return; // a call cut off by logging out: nothing left to tell
  if (isUnauthorized(e)) showLogin(LOGIN_ENDED);
  else showError(e);
}

// An API error carries its status; SignalR only says it in the text ("... Status code '401'").
function isUnauthorized(e) {
  return e?.status === 401 || e?.statusCode === 401 || /Status code '401'/.test(String(e?.message ?? ''));
}

function showNotice(text) {
  ui.notice.textContent = text ?? '';
  ui.notice.hidden = !text;
}

function showConnection(text) {
  ui.connection.textContent = text ?? '';
  ui.connection.hidden = !text;
}

// ---- login and logout ----

function showLoginError(text) {
  ui.loginError.textContent = text ?? '';
  ui.loginError.hidden = !text;
}

/** Hides everything that needs a login and shows the login form; safe to call more than once. */
function showLogin(message) {
  leaveWork();
  showLoginError(message);
  ui.loginForm.hidden = false;
  (ui.loginUser.value ? ui.loginPassword : ui.loginUser).focus();
}

/** Shows the work area for a logged-in account and connects to the hub (the cookie goes along). */
function enterApp(a) {
  leaveWork(); // whatever a previous login left behind
  account = a;
  showLoginError(null);
  ui.loginForm.hidden = true;
  ui.whoami.textContent = `Signed in as ${a.displayName} (${a.role})`;
  ui.whoami.hidden = false;
  ui.logout.hidden = false;
  ui.passwordChange.hidden = false;
  ui.work.hidden = false;

  settings = loadSettings(a.userName);
  ui.form.reset(); // the page's defaults, unless this account has its own
  fillForm(settings);
  renderView();

  ui.accountsSection.hidden = a.role !== 'Supervisor';
  ui.dashboardLink.hidden = a.role !== 'Supervisor';
  if (a.role === 'Supervisor') loadAccounts();

  connection = buildConnection();
  connect();
}

// Nothing of one login (chats, customers' e-mails, the account list) may stay on screen for the next.
function leaveWork() {
  clearInterval(heartbeatTimer);
  account = null;
  settings = null;
  view = null;
  dropConnection();
  for (const chat of chats.values()) {
    clearTimeout(chat.typingIdleTimer);
    clearTimeout(chat.typingShownTimer);
  }
  chats.clear();
  ui.chats.replaceChildren();
  ui.emailRequests.replaceChildren();
  ui.emailEmpty.hidden = true;
  ui.moreEmail.hidden = true;
  resetCannedEditor();
  resetAccounts();
  showConnection(null);
  ui.reconnect.hidden = true;
  showNotice(null);
  clearError();
  renderView();
  ui.work.hidden = true;
  ui.whoami.hidden = true;
  ui.whoami.textContent = '';
  ui.dashboardLink.hidden = true;
  ui.logout.hidden = true;
  resetPasswordChange();
}

// The cookie is shared by every tab of this browser, so the login may have changed under this page:
// false when nobody is logged in any more, or someone else is. A network failure proves nothing.
async function stillLoggedIn() {
  try {
    return (await me()).userName === account?.userName;
  } catch (e) {
    return e.status !== 401;
  }
}

// ---- hub connection ----

// A connection lives as long as one login. Its events are ignored once it has been dropped, so a
// connection closing after logout cannot touch the page of the next login.
function buildConnection() {
  const conn = new signalR.HubConnectionBuilder()
    .withUrl('/hubs/operator')
    .withAutomaticReconnect({
      // A refused login does not get better by retrying: give up now, and onclose shows the login form.
      nextRetryDelayInMilliseconds: ({ previousRetryCount, retryReason }) =>
        (isUnauthorized(retryReason) ? null : RETRY_DELAYS_MS[previousRetryCount] ?? null),
    })
    .build();
  const current = () => conn === connection;

  conn.on('ChatAssigned', (sessionId) => {
    if (!current()) return;
    openChat(sessionId);
    refreshStatus();
  });
  conn.on('ChatEnded', (sessionId) => {
    if (!current()) return;
    const chat = chats.get(sessionId);
    if (chat) {
      markEnded(chat);
      // Picks up the closing system line if its push was missed. Not after a transfer: the chat is
      // someone else's by then, and asking for it would only answer not-your-chat.
      if (!chat.transferring && !chat.transferred) refresh(chat);
    }
    refreshStatus();
  });
  conn.on('Message', (sessionId, message) => {
    if (current()) addMessage(openChat(sessionId), message, true);
  });
  // The server looks for each chat's customer every few seconds; a chat whose customer stays offline ends.
  // Pushes to this page may have been lost (a silo restarted): reload status and chats.
  conn.on('CatchUp', (spreadMs) => setTimeout(() => {
    if (settings && current()) catchUp().catch(fail);
  }, Math.random() * spreadMs));
  conn.on('CustomerOffline', (sessionId) => {
    const chat = current() ? chats.get(sessionId) : null;
    if (chat) showOffline(chat, true);
  });
  conn.on('CustomerOnline', (sessionId) => {
    const chat = current() ? chats.get(sessionId) : null;
    if (chat) showOffline(chat, false);
  });
  conn.on('Typing', (sessionId, isTyping) => {
    const chat = current() ? chats.get(sessionId) : null;
    if (chat && !chat.ended) showTyping(chat, isTyping);
  });

  conn.onreconnecting(() => {
    if (current()) showConnection('Connection lost — reconnecting…');
  });
  conn.onreconnected(async () => {
    if (!current()) return;
    showConnection(null);
    // The new connection is whoever the cookie says now; make sure that is still this page's account.
    if (!(await stillLoggedIn())) {
      if (current()) showLogin(LOGIN_ENDED);
      return;
    }
    // The new connection has not started work: start it again and reload every chat.
    if (!settings || !current()) return;
    try {
      await signIn(settings);
    } catch (e) {
      fail(e);
    }
  });
  conn.onclose(async () => {
    if (!current()) return; // dropped on purpose
    showConnection('Disconnected.');
    ui.reconnect.hidden = false;
    // Reconnecting gives up at once on a 401; ask the account API whether that is what happened.
    if (!(await stillLoggedIn()) && current()) showLogin(LOGIN_ENDED);
  });
  return conn;
}

function invoke(method, ...args) {
  return connection ? connection.invoke(method, ...args) : Promise.reject(new Error('Not connected.'));
}

// Forgets the connection first, so its closing is not taken for a lost connection.
function dropConnection() {
  const conn = connection;
  connection = null;
  starting = null;
  conn?.stop().catch(() => {}); // stopping can only fail if it is already down
}

// Starts the connection unless it is up or on its way; callers share one start.
function ensureStarted() {
  if (!connection) return Promise.reject(new Error('Not signed in.'));
  if (connection.state === signalR.HubConnectionState.Disconnected) {
    showConnection('Connecting…');
    starting = connection.start();
  }
  return starting ?? Promise.resolve();
}

async function connect() {
  const conn = connection;
  clearError();
  ui.reconnect.hidden = true;
  try {
    await ensureStarted();
    showConnection(null);
    if (settings) await signIn(settings); // carry on working after a reload, as before
  } catch (e) {
    if (!conn || conn !== connection) return; // logged out meanwhile
    if (conn.state !== signalR.HubConnectionState.Connected) showConnection('Not connected.');
    ui.reconnect.hidden = false;
    fail(e); // the negotiate request answers 401 when the login has ended
  }
}

// ---- operator state ----

function settingsKey(userName) {
  return `${SETTINGS_KEY}:${userName}`;
}

function loadSettings(userName) {
  try {
    const s = JSON.parse(localStorage.getItem(settingsKey(userName)));
    return Array.isArray(s?.languages) && Number.isFinite(s?.capacity) ? s : null;
  } catch {
    return null; // unreadable settings are as good as none
  }
}

function fillForm(s) {
  if (!s) return;
  ui.capacity.value = String(s.capacity);
  for (const box of ui.languages) box.checked = s.languages.includes(box.value);
}

function readForm() {
  return {
    languages: ui.languages.filter((box) => box.checked).map((box) => box.value),
    capacity: Number(ui.capacity.value),
  };
}

function renderView() {
  const working = view !== null;
  ui.available.disabled = !working;
  ui.acceptNext.disabled = !working;
  ui.loadEmail.disabled = !working;
  renderCannedEditor();
  if (!working) {
    ui.status.textContent = 'Not working yet.';
    return;
  }
  const active = view.activeChats.length;
  ui.status.textContent = `Working · ${view.languages.join(', ')} · `
    + `${active}/${view.capacity} chats · ${view.available ? 'available' : 'away'}`;
  ui.available.textContent = view.available ? 'Go away' : 'Go available';
  ui.available.setAttribute('aria-pressed', String(view.available));
  ui.available.dataset.available = String(view.available);
}

async function refreshStatus() {
  try {
    view = await invoke('GetStatus');
    renderView();
    showOfflineChats();
  } catch (e) {
    fail(e);
  }
}

// While this console is open the server hears from it every few seconds; an operator silent for the
// grace period (a minute by default) has their chats returned to the head of the queues.
const HEARTBEAT_MS = 15000;
let heartbeatTimer = 0;

function startHeartbeat() {
  clearInterval(heartbeatTimer);
  heartbeatTimer = setInterval(() => {
    if (settings && connection?.state === signalR.HubConnectionState.Connected) {
      connection.invoke('Heartbeat').catch(() => {}); // a missed beat is fine; the next one follows
    }
  }, HEARTBEAT_MS);
}

// SignIn starts work on this connection as the logged-in account; then bring every chat panel up to date.
async function signIn(s) {
  await invoke('SignIn', s.languages, s.capacity);
  startHeartbeat();
  settings = s;
  if (account) localStorage.setItem(settingsKey(account.userName), JSON.stringify(s));
  await catchUp();
  // The hub serves canned replies only once work has started. After a reconnect, edits not yet
  // saved are kept rather than overwritten by the server's list.
  if (!editor.dirty) loadCannedEditor();
}

// Reloads the status and every chat: after sign-in, and when pushes to this page may have been lost.
async function catchUp() {
  view = await invoke('GetStatus');
  renderView();
  for (const id of view.activeChats) {
    const chat = chats.get(id);
    if (chat) refresh(chat, 0);
    else openChat(id);
  }
  showOfflineChats(); // events sent while this page was away are not sent again
  // Chats that ended while we were away: fetch their last lines, which also marks them ended.
  for (const chat of chats.values()) {
    if (!chat.ended && !view.activeChats.includes(chat.id)) refresh(chat);
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
    title: q('.chat-title'), badge: q('.unread'), state: q('.chat-state'), offline: q('.customer-offline'),
    endButton: q('.end-chat'), closeButton: q('.close-chat'),
    transcript: new Transcript(q('.transcript'), AUTHOR_LABEL), typing: q('.typing'),
    form: q('.composer'), input: q('.message-input'), send: q('.send'),
    question: q('.chat-question'), suggestions: q('.chat-suggestions'),
    suggestionList: q('.chat-suggestion-list'), noSuggestions: q('.chat-no-suggestions'),
    questionKey: null, // language + question id shown (or being looked up), so a refresh does not redo it
    transferForm: q('.transfer'), transferLanguage: q('.transfer-language'),
    transferToQueue: q('.transfer-to-queue'), transferOperator: q('.transfer-operator'),
    transferToOperator: q('.transfer-to-operator'),
    transferLanguagePicked: false, transferring: false, transferred: false, endNote: null,
    canned: q('.canned-replies'), cannedLanguage: null, cannedList: [],
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

  // A pick, not a setting: the text goes into the reply box and the picker is ready for the next one.
  chat.canned.addEventListener('change', () => {
    const picked = chat.canned.value;
    chat.canned.value = '';
    const text = picked === '' ? undefined : chat.cannedList[Number(picked)];
    if (text !== undefined && !chat.ended) insertReply(chat, text);
  });

  chat.endButton.addEventListener('click', async () => {
    clearError();
    try {
      stopTyping(chat);
      await invoke('EndChat', chat.id);
      markEnded(chat);
      refreshStatus();
    } catch (e) {
      fail(e);
    }
  });

  chat.closeButton.addEventListener('click', () => {
    chat.el.remove();
    chats.delete(chat.id);
  });

  // Once the operator picks a queue, a later refresh must not change it under them.
  chat.transferLanguage.addEventListener('change', () => { chat.transferLanguagePicked = true; });
  chat.transferToQueue.addEventListener('click', () => {
    transfer(chat, 'TransferToQueue', chat.transferLanguage.value);
  });
  // The operator button is the form's submit button, so Enter in the name field transfers too.
  chat.transferForm.addEventListener('submit', (event) => {
    event.preventDefault();
    const name = chat.transferOperator.value.trim();
    if (!name) {
      showError('Enter the user name of the operator to transfer to.');
      chat.transferOperator.focus();
      return;
    }
    transfer(chat, 'TransferToOperator', name);
  });
}

// Both transfers end the chat for this operator; the server also pushes ChatEnded for it.
async function transfer(chat, method, target) {
  if (chat.ended || chat.transferring) return;
  clearError();
  const hadFocus = chat.el.contains(document.activeElement);
  chat.transferring = true;
  renderTransfer(chat);
  try {
    stopTyping(chat); // not awaited: it reaches the server before the transfer, while the chat is ours
    await invoke(method, chat.id, target);
    chat.transferred = true;
    markEnded(chat, 'Transferred');
    chat.transferOperator.value = '';
    if (hadFocus) chat.closeButton.focus(); // the focused control has just been disabled
    refreshStatus();
  } catch (e) {
    fail(e);
    // A ChatEnded that came in meanwhile skipped its refresh; catch up now (e.g. the customer left).
    if (account && chat.ended) refresh(chat);
  } finally {
    chat.transferring = false;
    renderTransfer(chat);
  }
}

function renderTransfer(chat) {
  const off = chat.ended || chat.transferring;
  for (const control of [chat.transferLanguage, chat.transferToQueue, chat.transferOperator, chat.transferToOperator]) {
    control.disabled = off;
  }
}

// Fetches the chat from `after` on; overlapping calls share the one in flight and ask once more after.
function refresh(chat, after = chat.transcript.lastSeq) {
  if (chat.transferred) return Promise.resolve(); // no longer ours to read
  if (chat.loading) {
    chat.loadAgain = true;
    return chat.loading;
  }
  chat.loading = (async () => {
    try {
      let from = after;
      do {
        chat.loadAgain = false;
        const session = await invoke('GetChat', chat.id, from);
        chat.applying = true; // a gap left inside this answer cannot be filled by asking again
        try {
          applySession(chat, session);
        } finally {
          chat.applying = false;
        }
        from = chat.transcript.lastSeq;
      } while (chat.loadAgain);
    } catch (e) {
      // A read that crossed a transfer fails with not-your-chat; that is the transfer, not a problem.
      if (!chat.transferred) fail(e);
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
  showQuestion(chat, session.language, session.questionId ?? null);
  showCannedReplies(chat, session.language);
  // Offer the other language's queue first: moving a customer between languages is the usual reason.
  if (!chat.transferLanguagePicked && QUEUE_LANGUAGES.includes(session.language)) {
    chat.transferLanguage.value = QUEUE_LANGUAGES.find((l) => l !== session.language) ?? session.language;
  }
}

// The customer's help-center question and the suggestions they were shown before asking for a chat.
function showQuestion(chat, language, questionId) {
  const key = `${language}|${questionId ?? ''}`;
  if (chat.questionKey === key) return;
  chat.questionKey = key;
  if (!questionId) {
    renderQuestion(chat, 'No question chosen', null);
    return;
  }
  renderQuestion(chat, questionId, null); // the id until the catalog answers
  findQuestion(language, questionId).then(
    (found) => {
      if (chat.questionKey !== key) return; // the session moved on meanwhile
      if (found) renderQuestion(chat, found.question.title, found.question.suggestions ?? []);
      else renderQuestion(chat, `Unknown question (${questionId})`, null);
    },
    (e) => {
      if (chat.questionKey !== key) return;
      chat.questionKey = null; // the next refresh tries the catalog again
      renderQuestion(chat, `${questionId} (${e.message})`, null);
    },
  );
}

// Titles and suggestions come from the server: text only. suggestions null: nothing to show.
function renderQuestion(chat, title, suggestions) {
  chat.question.textContent = title;
  chat.suggestions.hidden = suggestions === null;
  chat.suggestionList.replaceChildren(...(suggestions ?? []).map((s) => {
    const li = document.createElement('li');
    li.textContent = s.text ?? '';
    return li;
  }));
  chat.noSuggestions.hidden = (suggestions ?? []).length > 0;
}

// ---- canned replies ----

// The panel offers the replies of the session's language, looked up once per language, not per refresh.
function showCannedReplies(chat, language) {
  if (chat.cannedLanguage === language) return;
  chat.cannedLanguage = language;
  renderCannedReplies(chat, []); // nothing to offer until the list arrives
  canned.get(language).then(
    (list) => {
      if (chat.cannedLanguage === language && chats.get(chat.id) === chat) renderCannedReplies(chat, list);
    },
    (e) => {
      if (chat.cannedLanguage !== language) return;
      chat.cannedLanguage = null; // the next refresh asks again
      if (chats.get(chat.id) === chat) fail(e);
    },
  );
}

// Replies were written by staff, but they are still server text: shown as text only.
function renderCannedReplies(chat, list) {
  chat.cannedList = list;
  const placeholder = document.createElement('option');
  placeholder.value = '';
  placeholder.textContent = 'Canned reply…';
  const options = list.map((text, index) => {
    const option = document.createElement('option');
    option.value = String(index); // the text itself is looked up on pick, so long replies stay whole
    option.textContent = text.length > CANNED_LABEL_MAX ? `${text.slice(0, CANNED_LABEL_MAX - 1)}…` : text;
    option.title = text;
    return option;
  });
  chat.canned.replaceChildren(placeholder, ...options);
  chat.canned.value = '';
  chat.canned.disabled = chat.ended || list.length === 0;
}

// An empty box takes the reply as it is; otherwise it goes after what is there, one space between.
function insertReply(chat, text) {
  const current = chat.input.value;
  if (current.trim() === '') chat.input.value = text;
  else chat.input.value = /\s$/.test(current) ? current + text : `${current} ${text}`;
  chat.input.focus();
  const end = chat.input.value.length;
  chat.input.setSelectionRange(end, end);
  typing(chat); // setting the value fires no input event, but the customer may see the operator typing
}

// Every saved (or freshly loaded) list reaches the panels of its language at once.
canned.onChange((language, list) => {
  for (const chat of chats.values()) {
    if (chat.cannedLanguage === language) renderCannedReplies(chat, list);
  }
});

function showCannedStatus(text) {
  ui.cannedStatus.textContent = text ?? '';
}

// The text box and Save work only on the list of the chosen language, once it has been loaded:
// saving anything else would replace the server's list with a half-loaded or foreign one.
function renderCannedEditor() {
  const ready = view !== null && !editor.loading && !editor.saving
    && editor.loaded === ui.cannedLanguage.value;
  ui.cannedText.disabled = !ready;
  ui.cannedSave.disabled = !ready;
  ui.cannedLanguage.disabled = editor.saving;
}

function resetCannedEditor() {
  editor.seq += 1; // answers still on their way belong to the old login
  Object.assign(editor, { loaded: null, loading: false, saving: false, dirty: false });
  canned.clear();
  ui.cannedText.value = '';
  ui.cannedLanguage.value = 'en';
  showCannedStatus(null);
  renderCannedEditor();
}

// Always asks the server: another operator may have changed the list since it was cached.
async function loadCannedEditor() {
  const language = ui.cannedLanguage.value;
  const seq = ++editor.seq; // only the latest load or save may fill the box
  Object.assign(editor, { loaded: null, loading: true, dirty: false });
  ui.cannedText.value = '';
  showCannedStatus('Loading…');
  renderCannedEditor();
  try {
    const list = await canned.reload(language);
    if (seq !== editor.seq) return;
    ui.cannedText.value = list.join('\n');
    editor.loaded = language;
    showCannedStatus(null);
  } catch (e) {
    if (seq !== editor.seq) return;
    showCannedStatus('The replies could not be loaded; Start work tries again.');
    fail(e);
  } finally {
    if (seq === editor.seq) {
      editor.loading = false;
      renderCannedEditor();
    }
  }
}

async function saveCannedEditor() {
  const language = ui.cannedLanguage.value;
  if (view === null || editor.loaded !== language) return;
  const replies = ui.cannedText.value.split(/\r?\n/).map((line) => line.trim()).filter((line) => line !== '');
  clearError();
  const seq = ++editor.seq;
  const hadFocus = document.activeElement === ui.cannedSave;
  editor.saving = true;
  showCannedStatus('Saving…');
  renderCannedEditor();
  try {
    const saved = await canned.save(language, replies);
    if (seq !== editor.seq) return;
    ui.cannedText.value = saved.join('\n'); // as the server keeps it
    editor.dirty = false;
    showCannedStatus(`Saved ${saved.length} ${saved.length === 1 ? 'reply' : 'replies'}`);
  } catch (e) {
    if (seq !== editor.seq) return;
    showCannedStatus(null);
    fail(e); // e.g. bad-canned-replies; the text stays as typed, to be fixed and saved again
  } finally {
    if (seq === editor.seq) {
      editor.saving = false;
      renderCannedEditor();
      if (hadFocus) ui.cannedSave.focus(); // it was disabled while saving, which drops the focus
    }
  }
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

// note says why (e.g. "Transferred"); it may come after a plain ChatEnded for the same chat.
function markEnded(chat, note = null) {
  if (note) chat.endNote = note;
  chat.state.textContent = chat.endNote ? `Ended · ${chat.endNote}` : 'Ended';
  if (chat.ended) return;
  chat.ended = true;
  chat.el.dataset.ended = 'true';
  chat.input.disabled = true;
  chat.send.disabled = true;
  chat.canned.disabled = true;
  chat.endButton.hidden = true;
  chat.closeButton.hidden = false;
  renderTransfer(chat);
  showTyping(chat, false);
  showOffline(chat, false);
  clearTimeout(chat.typingIdleTimer);
}

function showOffline(chat, on) {
  chat.offline.textContent = t('operator.customerOffline');
  chat.offline.hidden = !on || chat.ended;
}

// The operator's view says whose customers are offline now.
function showOfflineChats() {
  const offline = view?.offlineChats ?? [];
  for (const chat of chats.values()) showOffline(chat, offline.includes(chat.id));
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
    addMessage(chat, await retryWhileUnavailable(() => invoke('SendMessage', chat.id, sending.id, sending.text)), false);
    if (chat.pending === sending) chat.pending = null;
    if (chat.input.value.trim() === sending.text) chat.input.value = '';
  } catch (e) {
    fail(e);
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
    invoke('Typing', chat.id, true).catch(() => {}); // best effort
  }
  clearTimeout(chat.typingIdleTimer);
  chat.typingIdleTimer = setTimeout(() => stopTyping(chat), TYPING_IDLE_MS);
}

function stopTyping(chat) {
  clearTimeout(chat.typingIdleTimer);
  if (!chat.lastTypingSent) return;
  chat.lastTypingSent = 0;
  invoke('Typing', chat.id, false).catch(() => {}); // best effort
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
// The server sends the inbox a page at a time, oldest first; a full page means there may be more.
const EMAIL_PAGE_SIZE = 50;

// append: the next page goes below the ones shown; otherwise the list starts again from its first page.
function renderEmailRequests(requests = [], append = false) {
  // Loading the list again must not throw away answers being written.
  const drafts = new Map();
  for (const li of ui.emailRequests.children) {
    const draft = li.querySelector('.email-answer-text')?.value;
    if (draft) drafts.set(li.dataset.reference, draft);
  }
  const items = requests.map((r) => {
    const li = emailRequestItem(r);
    const box = li.querySelector('.email-answer-text');
    if (box && drafts.has(r.reference)) box.value = drafts.get(r.reference);
    return li;
  });
  if (append) ui.emailRequests.append(...items);
  else ui.emailRequests.replaceChildren(...items);
  ui.emailEmpty.hidden = ui.emailRequests.children.length > 0;
  ui.moreEmail.hidden = requests.length < EMAIL_PAGE_SIZE;
}

function findEmailItem(reference) {
  return [...ui.emailRequests.children].find((li) => li.dataset.reference === reference) ?? null;
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

  li.append(title, details, text, r.answer ? emailAnswer(r.answer) : emailAnswerForm(r.reference));
  return li;
}

// The operator's answer is server text like the rest: text only.
function emailAnswer(answer) {
  const p = document.createElement('p');
  p.className = 'email-answer';
  p.textContent = `Answered by ${answer.operatorId}: ${answer.text}`;
  const at = new Date(answer.answeredAt);
  if (!Number.isNaN(at.getTime())) p.title = `Answered ${at.toLocaleString()}`;
  return p;
}

function emailAnswerForm(reference) {
  const form = document.createElement('form');
  form.className = 'email-answer-form';
  const box = document.createElement('textarea');
  box.className = 'email-answer-text';
  box.rows = 3;
  box.maxLength = 4000; // the server's limit for a message
  box.setAttribute('aria-label', `Answer to ${reference}`);
  const send = document.createElement('button');
  send.type = 'submit';
  send.className = 'email-answer-send';
  send.textContent = 'Send answer';
  form.append(box, send);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    answerEmail(reference);
  });
  return form;
}

// Looks the item up again after the call: the list may have been loaded anew meanwhile.
async function answerEmail(reference) {
  const li = findEmailItem(reference);
  const box = li?.querySelector('.email-answer-text');
  const button = li?.querySelector('.email-answer-send');
  if (!box || button.disabled) return;
  clearError();
  box.disabled = true;
  button.disabled = true;
  try {
    showAnsweredEmail(await invoke('AnswerEmailRequest', reference, box.value));
  } catch (e) {
    fail(e);
    // Someone else was quicker: show their answer instead of a form that can only fail again.
    if (account && errorCode(e) === 'already-answered') reloadEmailItem(reference);
  } finally {
    box.disabled = false;
    button.disabled = false;
  }
}

function showAnsweredEmail(request) {
  const old = request ? findEmailItem(request.reference) : null;
  if (!old) return; // the list was cleared or reloaded without it
  const hadFocus = old.contains(document.activeElement);
  const item = emailRequestItem(request);
  old.replaceWith(item);
  // The focused form is gone; the answer that replaced it is the next thing to read.
  const answer = item.querySelector('.email-answer');
  if (hadFocus && answer) {
    answer.tabIndex = -1;
    answer.focus();
  }
}

async function reloadEmailItem(reference) {
  try {
    const found = await invoke('GetEmailRequest', reference);
    if (found?.answer) showAnsweredEmail(found);
  } catch {
    // the error line already says what went wrong; the Load button fetches the list again
  }
}

// ---- accounts (supervisors) ----

async function loadAccounts() {
  try {
    const list = await listAccounts();
    if (account?.role === 'Supervisor') ui.accounts.replaceChildren(...(list ?? []).map(accountItem));
  } catch (e) {
    fail(e);
  }
}

// Names are typed by people: shown as text only.
function accountItem(a) {
  const li = document.createElement('li');
  li.dataset.user = a.userName;
  li.classList.toggle('account-disabled', Boolean(a.disabled));
  const parts = [['strong', 'account-user', a.userName], ['span', 'account-name', a.displayName],
    ['span', 'account-role', a.disabled ? `${a.role} · disabled` : a.role]];
  for (const [tag, className, text] of parts) {
    const el = document.createElement(tag);
    el.className = className;
    el.textContent = text ?? '';
    li.append(el);
  }
  if (a.userName !== account?.userName) li.append(accountToggle(a)); // nobody disables themselves
  return li;
}

// Disabling ends every login and console of that account at once; enabling lets it log in again.
function accountToggle(a) {
  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'secondary account-toggle';
  button.textContent = a.disabled ? 'Enable' : 'Disable';
  button.setAttribute('aria-label', `${a.disabled ? 'Enable' : 'Disable'} ${a.userName}`);
  button.addEventListener('click', async () => {
    button.disabled = true;
    clearError();
    try {
      await setAccountDisabled(a.userName, !a.disabled);
      await loadAccounts();
    } catch (e) {
      button.disabled = false;
      fail(e);
    }
  });
  return button;
}

// ---- the signed-in user's password ----

function showPasswordErrors(current, changed) {
  for (const [input, error, text] of [[ui.currentPassword, ui.currentPasswordError, current],
    [ui.changedPassword, ui.changedPasswordError, changed]]) {
    error.textContent = text ?? '';
    error.hidden = !text;
    if (text) input.setAttribute('aria-invalid', 'true');
    else input.removeAttribute('aria-invalid');
  }
}

function resetPasswordChange() {
  ui.passwordChange.hidden = true;
  ui.passwordChange.open = false;
  ui.passwordForm.reset(); // drops typed passwords
  showPasswordErrors(null, null);
}

ui.passwordForm.addEventListener('submit', async (event) => {
  event.preventDefault();
  showPasswordErrors(null, null);
  ui.passwordSubmit.disabled = true;
  try {
    await changePassword(ui.currentPassword.value, ui.changedPassword.value);
  } catch (e) {
    const errors = e.body?.errors ?? {};
    if (errors.currentPassword || errors.newPassword) {
      showPasswordErrors(errors.currentPassword?.join(' '), errors.newPassword?.join(' '));
    } else {
      fail(e);
    }
    return;
  } finally {
    ui.passwordSubmit.disabled = false;
  }
  showLogin('Password changed. Log in with the new password.');
});

function resetAccounts() {
  ui.accountsSection.hidden = true;
  ui.accounts.replaceChildren();
  ui.newAccountForm.reset(); // also drops a half-typed password
  showAccountErrors({}, null);
  showAccountResult(null);
}

function showAccountResult(text) {
  ui.newAccountResult.textContent = text ?? '';
  ui.newAccountResult.hidden = !text;
}

// byField: { userName: [messages], ... }; general: a line for the whole form, or null.
function showAccountErrors(byField, general) {
  for (const [name, { input, error }] of Object.entries(accountFields)) {
    const messages = byField[name];
    error.textContent = messages ? messages.join(' ') : '';
    error.hidden = !messages;
    if (messages) input.setAttribute('aria-invalid', 'true');
    else input.removeAttribute('aria-invalid');
  }
  ui.newAccountError.textContent = general ?? '';
  ui.newAccountError.hidden = !general;
}

// 400: { errors: { field: [messages] } } shown under the fields; 409: the user name is taken.
function showAccountProblem(e) {
  if (isUnauthorized(e)) {
    fail(e);
    return;
  }
  const byField = {};
  const general = [];
  if (e.status === 409) {
    byField.userName = [e.message];
  } else if (e.status === 400 && e.body?.errors && typeof e.body.errors === 'object') {
    for (const [key, messages] of Object.entries(e.body.errors)) {
      const list = Array.isArray(messages) ? messages.map(String) : [String(messages)];
      // Keys are camelCase by contract; matching without case also copes with "UserName".
      const name = Object.keys(accountFields).find((f) => f.toLowerCase() === key.toLowerCase());
      if (name) byField[name] = [...(byField[name] ?? []), ...list];
      else general.push(...list);
    }
  } else {
    general.push(e.message);
  }
  showAccountErrors(byField, general.join(' ') || null);
  const first = Object.keys(accountFields).find((name) => byField[name]);
  if (first) accountFields[first].input.focus();
}

ui.newAccountForm.addEventListener('submit', async (event) => {
  event.preventDefault();
  showAccountErrors({}, null);
  showAccountResult(null);
  ui.newAccountSubmit.disabled = true;
  try {
    const created = await createAccount({
      userName: accountFields.userName.input.value.trim(),
      displayName: accountFields.displayName.input.value.trim(),
      password: accountFields.password.input.value, // as typed: spaces may be part of it
      role: accountFields.role.input.value,
    });
    ui.newAccountForm.reset();
    showAccountResult(`Created ${created.displayName} (${created.userName}, ${created.role}).`);
    await loadAccounts();
  } catch (e) {
    showAccountProblem(e);
  } finally {
    ui.newAccountSubmit.disabled = false;
  }
});

// ---- user actions ----

ui.loginForm.addEventListener('submit', async (event) => {
  event.preventDefault();
  showLoginError(null);
  ui.loginSubmit.disabled = true;
  try {
    const a = await login(ui.loginUser.value.trim(), ui.loginPassword.value);
    ui.loginPassword.value = '';
    enterApp(a);
  } catch (e) {
    showLoginError(e.message); // 401: "Wrong user name or password."
    ui.loginPassword.focus();
  } finally {
    ui.loginSubmit.disabled = false;
  }
});

ui.logout.addEventListener('click', async () => {
  clearError();
  ui.logout.disabled = true;
  try {
    await logout();
  } catch (e) {
    // The login still works, so say so rather than pretend; a 401 means it is over already.
    if (!isUnauthorized(e)) {
      showError(e);
      return;
    }
  } finally {
    ui.logout.disabled = false;
  }
  showLogin(null);
});

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
    fail(e);
  } finally {
    ui.signIn.disabled = false;
  }
});

ui.available.addEventListener('click', async () => {
  clearError();
  ui.available.disabled = true;
  try {
    view = await invoke('SetAvailable', !view.available);
  } catch (e) {
    fail(e);
  } finally {
    renderView();
  }
});

ui.loadEmail.addEventListener('click', async () => {
  clearError();
  ui.loadEmail.disabled = true;
  try {
    renderEmailRequests(await invoke('GetEmailRequests', null) ?? []);
  } catch (e) {
    fail(e);
  } finally {
    ui.loadEmail.disabled = view === null;
  }
});

ui.moreEmail.addEventListener('click', async () => {
  clearError();
  ui.moreEmail.disabled = true;
  try {
    const last = ui.emailRequests.lastElementChild?.dataset.reference ?? null;
    renderEmailRequests(await invoke('GetEmailRequests', last) ?? [], true);
  } catch (e) {
    fail(e);
  } finally {
    ui.moreEmail.disabled = false;
  }
});

ui.cannedLanguage.addEventListener('change', () => {
  if (view !== null) loadCannedEditor(); // unsaved edits of the other language are dropped
  else renderCannedEditor();
});

ui.cannedText.addEventListener('input', () => {
  editor.dirty = true;
  showCannedStatus(null); // "Saved" no longer describes the box
});

ui.cannedSave.addEventListener('click', saveCannedEditor);

ui.acceptNext.addEventListener('click', async () => {
  clearError();
  showNotice(null);
  ui.acceptNext.disabled = true;
  try {
    const sessionId = await invoke('AcceptNext');
    if (sessionId) openChat(sessionId);
    else showNotice('No one is waiting right now.');
    await refreshStatus();
  } catch (e) {
    fail(e);
  } finally {
    ui.acceptNext.disabled = view === null;
  }
});

// ---- start ----

// Already logged in (the cookie survives reloads) goes straight to work; otherwise the login form.
async function start() {
  localStorage.removeItem(SETTINGS_KEY); // settings from before logins, keyed by a typed operator id
  renderView();
  let who;
  try {
    who = await me();
  } catch (e) {
    showLogin(e.status === 401 ? null : e.message); // e.g. "Cannot reach the server."
    return;
  }
  enterApp(who);
}

start();
