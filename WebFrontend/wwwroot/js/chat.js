// Chat window: start or resume a support session, browse the questions, queue for an operator, chat.
// Loaded as a module, so nothing here leaks into the global scope.
// Opened from the help page as /chat.html?question=<id>&language=<queue language>.

import { Transcript, errorText, errorCode } from './transcript.js';
import { t, has, uiLanguage, initLanguageControl, onLanguageChange } from './i18n.js';
import { getCatalog, getHours } from './help-api.js';
import { CatalogView } from './help-catalog.js';
import { hoursSentence, languagePhrase } from './hours-text.js';
import { retryWhileUnavailable } from './retry.js';

const TOKEN_KEY = 'orleansSupport.sessionToken';
const TYPING_THROTTLE_MS = 2000;
const TYPING_IDLE_MS = 3000;
const TYPING_SHOWN_MAX_MS = 10000; // hide the indicator even if the "stopped" signal is lost
const STATUSES = ['Browsing', 'Queued', 'Chatting', 'Ended'];
const RATING_COMMENT_MAX = 1000; // the server refuses longer comments (bad-rating)
const REVOKE_AFTER_MS = 40000; // some browsers still read the blob after click() returns

const url = new URLSearchParams(location.search);
const urlQuestion = url.get('question') || null;
const urlLanguage = url.get('language') || null;

const $ = (id) => document.getElementById(id);
const ui = {
  language: $('ui-language'), connection: $('connection'), reconnect: $('reconnect'), error: $('error'),
  questionList: $('question-list'),
  chat: $('chat'), status: $('status'), queueNumber: $('queue-number'), estimatedWait: $('estimated-wait'),
  closedNotice: $('closed-notice'), closedText: $('closed-text'), keepTime: $('keep-time'),
  moveToFallback: $('move-to-fallback'),
  help: $('livechat-help'), chatHint: $('chat-hint'), end: $('end'), newChat: $('new-chat'),
  transcript: $('transcript'), typing: $('typing'),
  composer: $('composer'), input: $('message-input'), send: $('send'),
  download: $('download-transcript'),
  ratingForm: $('rating-form'), ratingComment: $('rating-comment'), ratingSubmit: $('rating-submit'),
  ratingThanks: $('rating-thanks'),
};

const connection = new signalR.HubConnectionBuilder()
  .withUrl('/hubs/customer')
  .withAutomaticReconnect()
  .build();

let token = localStorage.getItem(TOKEN_KEY);
let status = null;
let place = null;
let sessionLanguage = null; // the session's queue language (may differ from the UI language)
let sessionQuestion = null;
let pending = null; // { id, text } of an unacknowledged send, so a retry reuses its id
let lastTypingSent = 0;
let typingIdleTimer = 0;
let typingShownTimer = 0;
let resuming = null; // the Resume in flight, so overlapping triggers share one call
let resumeAgain = false;
let applyingResume = false;
let requesting = false; // RequestOperator in flight
let moving = false; // MoveToFallback in flight
let connectionKey = null; // i18n key of the connection line, so a language switch can re-render it
// While the session's queue is closed: { language, fallback, fallbackOpen, keepTime, hours|null }
let closed = null;
let starting = null; // the StartSession in flight
let storedSessionChecked = false;
let panelSet = false;
let catalogLoad = 0;
let rating = null; // { score, comment } once the ended chat is rated
let rateSending = false; // Rate in flight
let downloading = false; // the full-transcript Resume in flight

// ---- transcript: ordered by sequence, each sequence shown once ----

const authorLabels = () => ({
  System: t('author.System'), Customer: t('author.Customer'), Operator: t('author.Operator'),
});
// Shared by the transcript and the downloaded file, so both show system lines alike.
const systemText = (code) => (has(`system.${code}`) ? t(`system.${code}`) : undefined);
const transcript = new Transcript(ui.transcript, authorLabels(), systemText);

function addMessage(m) {
  if (!transcript.add(m)) return;
  renderDownload(); // pushed messages do not go through render()
  if (m.author === 'Operator') showTyping(false);
  if (transcript.missesSomethingBefore(m.sequence) && !applyingResume) resume();
}

// ---- the question panel ----

const catalogView = new CatalogView({
  categories: $('categories'),
  questionsSection: $('questions-section'), categoryTitle: $('category-title'), questions: $('questions'),
  suggestionSection: $('suggestion-section'), questionTitle: $('question-title'),
  suggestions: $('suggestions'), noSuggestions: $('no-suggestions'),
}, { onQuestion: chooseQuestion, onError: showError });

async function loadCatalog() {
  const load = ++catalogLoad;
  try {
    const catalog = await getCatalog(uiLanguage());
    if (load !== catalogLoad) return;
    catalogView.show(catalog);
    if (!catalogView.question) showSessionQuestion();
    render(); // whether the session's question can go to an operator is known only now
  } catch (e) {
    if (load === catalogLoad) showError(e.message);
  }
}

function showSessionQuestion() {
  if (sessionQuestion) catalogView.showQuestion(sessionQuestion);
}

async function chooseQuestion(question) {
  clearError();
  // Without a live session there is nothing to tell: the suggestions are shown all the same.
  if (!token || status === null || status === 'Ended') return;
  try {
    applyView(await connection.invoke('ChooseQuestion', question.id));
  } catch (e) {
    showError(e);
  }
}

// ---- state and rendering ----

function setStatus(next) {
  status = next;
  if (status !== 'Queued') {
    // No longer waiting (served, ended, or out of the line after being away): no number, no closed queue.
    place = null;
    closed = null;
  }
  render();
}

function waitText(seconds) {
  if (seconds === null || seconds === undefined) return t('queue.waitUnknown');
  return t('queue.wait', { m: Math.max(1, Math.ceil(seconds / 60)) });
}

function render() {
  const hasSession = Boolean(token) && status !== null;
  ui.chat.hidden = !hasSession;
  if (!hasSession) return;
  // An ended chat stays on this page (its rating, its transcript download), but a reload or the next
  // person at a shared computer starts afresh: the browser keeps no token that opens it.
  if (status === 'Ended') localStorage.removeItem(TOKEN_KEY);

  ui.status.textContent = t('status.line', { status: STATUSES.includes(status) ? t(`status.${status}`) : status });
  ui.status.dataset.status = status;

  const queued = status === 'Queued' && place !== null;
  ui.queueNumber.hidden = !queued;
  ui.estimatedWait.hidden = !queued;
  if (queued) {
    ui.queueNumber.textContent = t('queue.number', { n: place.position });
    ui.estimatedWait.textContent = waitText(place.estimatedWaitSeconds);
  }

  // A question operators cannot handle: the server would refuse, so say so up front.
  const notForOperators = catalogView.findQuestion(sessionQuestion)?.question.canChat === false;
  ui.help.hidden = status !== 'Browsing';
  ui.help.disabled = requesting || notForOperators;
  ui.chatHint.hidden = status !== 'Browsing' || !notForOperators;
  ui.end.hidden = status === 'Ended';
  ui.end.textContent = status === 'Queued' ? t('chat.leave') : t('chat.end');
  ui.newChat.hidden = status !== 'Ended';

  const chatting = status === 'Chatting';
  ui.input.disabled = !chatting;
  ui.send.disabled = !chatting;
  if (!chatting) showTyping(false);
  renderClosed();
  renderRating();
  renderDownload();
}

function renderRating() {
  const ended = status === 'Ended';
  ui.ratingForm.hidden = !ended || rating !== null;
  ui.ratingSubmit.disabled = rateSending;
  ui.ratingThanks.hidden = !ended || rating === null;
  if (rating) ui.ratingThanks.textContent = t('rating.thanks', { n: rating.score });
}

function renderDownload() {
  ui.download.hidden = ui.transcript.childElementCount === 0;
  ui.download.disabled = downloading;
}

function applyView(view) {
  status = view.status;
  place = view.place ?? null;
  sessionLanguage = view.language ?? sessionLanguage;
  const question = view.questionId ?? null;
  const questionChanged = question !== sessionQuestion;
  sessionQuestion = question;
  rating = view.rating ?? rating; // a rating never goes away; keep ours if this view predates it
  for (const m of view.messages ?? []) addMessage(m);
  if (status === 'Chatting' || status === 'Ended') closed = null;
  if (!panelSet) {
    // Invite a choice when the session has no question yet; otherwise keep the chat in front.
    ui.questionList.open = !sessionQuestion;
    panelSet = true;
  }
  if (questionChanged) showSessionQuestion();
  render();
}

function showTyping(on) {
  ui.typing.hidden = !on;
  clearTimeout(typingShownTimer);
  if (on) typingShownTimer = setTimeout(() => { ui.typing.hidden = true; }, TYPING_SHOWN_MAX_MS);
}

// ---- closed queue ----

/**
 * Shows that the session's queue is closed. notice comes from a QueueClosed push; after a refused
 * RequestOperator it is empty and the fallback is read from the hours API. keepTime: the customer is
 * already waiting, and a move keeps their waiting time.
 */
async function showClosed(language, notice, keepTime) {
  const mine = {
    language, fallback: notice.fallback, fallbackOpen: notice.fallbackOpen, keepTime, hours: null,
  };
  closed = mine;
  render();
  try {
    const hours = await getHours(language);
    if (closed !== mine) return;
    mine.hours = hours;
    renderClosed();
  } catch (e) {
    // The hours text stays generic; without a known fallback the customer can only read why.
    if (closed === mine && mine.fallback === undefined) showError(e.message);
  }
}

function closedFallback() {
  const fallback = closed.fallback ?? closed.hours?.fallback ?? null;
  const open = closed.fallbackOpen ?? closed.hours?.fallbackOpen ?? false;
  return fallback && open ? fallback : null;
}

function renderClosed() {
  ui.closedNotice.hidden = !closed;
  if (!closed) return;
  const fallback = closedFallback();
  const fallbackName = closed.hours?.fallback === fallback ? closed.hours.fallbackName : null;
  // Until the hours arrive, hoursSentence says only that the queue is closed.
  const sentences = [hoursSentence(closed.hours ?? { language: closed.language })];
  sentences.push(fallback
    ? t('hours.fallbackNow', { fallbackIn: languagePhrase('langIn', fallback, fallbackName) })
    : t('hours.comeBack'));
  ui.closedText.textContent = sentences.join(' ');
  ui.keepTime.hidden = !(closed.keepTime && fallback);
  ui.moveToFallback.hidden = !fallback;
  ui.moveToFallback.disabled = moving;
  if (fallback) ui.moveToFallback.textContent = languagePhrase('moveTo', fallback, fallbackName);
}

// If the queue closed while this page was away (reload, reconnect), the push was missed: ask.
async function checkQueueHours() {
  if (status !== 'Queued' || closed) return;
  const language = place?.language ?? sessionLanguage;
  if (!language) return;
  try {
    const hours = await getHours(language);
    if (status === 'Queued' && !closed && !hours.open && hours.fallback && hours.fallbackOpen) {
      closed = { language, fallback: undefined, fallbackOpen: undefined, keepTime: true, hours };
      render();
    }
  } catch {
    // best effort: the server still pushes QueueClosed
  }
}

// ---- errors ----

function showError(e) {
  ui.error.textContent = typeof e === 'string' ? e : errorText(e);
  ui.error.hidden = !ui.error.textContent;
}

function clearError() {
  showError('');
}

// ---- connection ----

function showConnection(key) {
  connectionKey = key;
  ui.connection.textContent = key ? t(key) : '';
  ui.connection.hidden = !key;
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
      checkQueueHours();
    } catch (e) {
      if (errorCode(e) === 'unknown-session') {
        // The session is gone (or the token is bad): start a new one, as a first visit would.
        forgetSession();
        await startSession().catch(showError);
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
  sessionQuestion = null;
  pending = null;
  closed = null;
  rating = null;
  transcript.clear();
  render();
}

// Shared by overlapping callers (the first connect and a quick reconnect), so only one session starts.
function startSession() {
  starting ??= startNewSession().finally(() => { starting = null; });
  return starting;
}

async function startNewSession() {
  const language = urlLanguage ?? uiLanguage();
  let started;
  try {
    started = await connection.invoke('StartSession', language, urlQuestion);
  } catch (e) {
    // A stale or edited link names a question that no longer exists: chat without one.
    if (!urlQuestion || errorCode(e) !== 'unknown-question') throw e;
    started = await connection.invoke('StartSession', language, null);
  }
  token = started.sessionToken;
  localStorage.setItem(TOKEN_KEY, token);
  applyView(started.session);
}

// Resume the stored session, or start one from the link. A link's question is ignored while the stored
// session lives; once that session has ended, the link starts a fresh chat (on a fresh page, because a
// connection belongs to one session).
async function ensureSession() {
  if (token) await resume();
  if (!token) {
    await startSession();
    storedSessionChecked = true;
    return;
  }
  if (storedSessionChecked || status === null) return;
  storedSessionChecked = true;
  if (status === 'Ended' && urlQuestion) {
    localStorage.removeItem(TOKEN_KEY);
    location.reload();
  }
}

async function connect() {
  clearError();
  ui.reconnect.hidden = true;
  try {
    if (connection.state === signalR.HubConnectionState.Disconnected) {
      showConnection('conn.connecting');
      await connection.start();
    }
    showConnection(null);
    await ensureSession();
  } catch (e) {
    if (connection.state !== signalR.HubConnectionState.Connected) showConnection('conn.notConnected');
    showError(e);
    ui.reconnect.hidden = false;
  } finally {
    render();
  }
}

connection.on('QueuePosition', (p) => {
  place = p;
  render();
});
connection.on('Message', addMessage);
// Pushes to this page may have been lost (a silo restarted): fetch what came after our last message.
connection.on('CatchUp', (spreadMs) => setTimeout(resume, Math.random() * spreadMs));
connection.on('StatusChanged', (next) => {
  const was = status;
  setStatus(next);
  // Back in the queue after the operator dropped: fetch the place, which also restarts live numbers.
  if (next === 'Queued' && was === 'Chatting') resume();
});
connection.on('Typing', (isTyping) => showTyping(isTyping && status === 'Chatting'));
connection.on('QueueClosed', (notice) => {
  showClosed(notice.language, notice, status === 'Queued');
});

connection.onreconnecting(() => showConnection('conn.lost'));
connection.onreconnected(async () => {
  showConnection(null);
  try {
    await ensureSession(); // a new connection is not bound to the session until it resumes
  } catch (e) {
    showError(e);
    ui.reconnect.hidden = false;
  }
});
connection.onclose(() => {
  showConnection('conn.disconnected');
  ui.reconnect.hidden = false;
});

// ---- user actions ----

ui.reconnect.addEventListener('click', connect);

ui.help.addEventListener('click', async () => {
  clearError();
  requesting = true;
  render();
  try {
    const p = await connection.invoke('RequestOperator');
    // An operator may already have been assigned (pushed before this reply); never step back.
    if (status === 'Browsing') status = 'Queued';
    if (status === 'Queued') place = p;
    closed = null;
  } catch (e) {
    const code = errorCode(e);
    if (code === 'queue-closed') showClosed(sessionLanguage, {}, false);
    else if (code === 'question-not-for-operators') showError(t('help.chatHint'));
    else showError(e);
  } finally {
    requesting = false;
    render();
  }
});

// The customer accepts the fallback queue; a customer already waiting keeps their waiting time.
ui.moveToFallback.addEventListener('click', async () => {
  clearError();
  moving = true;
  renderClosed();
  try {
    const p = await connection.invoke('MoveToFallback');
    if (status === 'Browsing') status = 'Queued';
    if (status === 'Queued') place = p;
    sessionLanguage = p.language ?? sessionLanguage;
    closed = null;
  } catch (e) {
    showError(e);
  } finally {
    moving = false;
    render();
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

ui.ratingForm.addEventListener('submit', async (event) => {
  event.preventDefault();
  if (status !== 'Ended' || rating || rateSending) return;
  clearError();
  const score = Number(ui.ratingForm.elements['rating-score'].value);
  // Checked here rather than by the browser, so the messages follow the UI language.
  if (!(score >= 1 && score <= 5)) {
    showError(t('rating.pickScore'));
    return;
  }
  const comment = ui.ratingComment.value.trim() || null;
  if (comment && comment.length > RATING_COMMENT_MAX) {
    showError(t('rating.tooLong', { max: RATING_COMMENT_MAX }));
    return;
  }
  rateSending = true;
  renderRating();
  try {
    await connection.invoke('Rate', score, comment);
    rating = { score, comment };
  } catch (e) {
    const code = errorCode(e);
    if (code === 'already-rated') {
      // Rated elsewhere (another tab): fetch the stored rating and thank for that one.
      await resume();
      if (!rating) showError(e);
    } else if (code === 'wrong-state') {
      showError(t('rating.notEnded'));
      resume(); // our status is stale
    } else if (code === 'bad-rating') {
      showError(t('rating.tooLong', { max: RATING_COMMENT_MAX }));
    } else {
      showError(e);
    }
  } finally {
    rateSending = false;
    render();
  }
});

// Resume from 0 returns the whole transcript, even lines this page never showed.
ui.download.addEventListener('click', async () => {
  if (!token || downloading) return;
  clearError();
  downloading = true;
  renderDownload();
  try {
    const view = await connection.invoke('Resume', token, 0);
    saveText(`support-chat-${String(view.sessionId).slice(0, 8)}.txt`, transcriptText(view.messages ?? []));
  } catch (e) {
    showError(e);
  } finally {
    downloading = false;
    renderDownload();
  }
});

function transcriptText(messages) {
  const labels = authorLabels();
  const locale = uiLanguage();
  return [...messages]
    .sort((a, b) => a.sequence - b.sequence)
    .map((m) => {
      const when = new Date(m.sentAt).toLocaleString(locale);
      const text = String((m.code && systemText(m.code)) || m.text).replace(/\r\n?/g, '\n');
      // Continuation lines are indented, so typed text cannot pass for a line of its own.
      return `[${when}] ${labels[m.author] ?? m.author}: ${text.replaceAll('\n', '\n    ')}`;
    })
    .join('\n') + '\n';
}

// Made client-side: a Blob behind a temporary <a download>, so nothing is sent back to the server.
function saveText(fileName, text) {
  const href = URL.createObjectURL(new Blob([text], { type: 'text/plain;charset=utf-8' }));
  const a = document.createElement('a');
  a.href = href;
  a.download = fileName;
  a.hidden = true;
  document.body.append(a); // Firefox ignores click() on a detached link
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(href), REVOKE_AFTER_MS);
}

// A connection belongs to one session, so a fresh chat starts over from the help page.
ui.newChat.addEventListener('click', () => {
  localStorage.removeItem(TOKEN_KEY);
  location.assign('/index.html');
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
    addMessage(await retryWhileUnavailable(() => connection.invoke('SendMessage', sending.id, sending.text)));
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

// ---- language ----

// Switching the UI language re-renders every text; the session stays in the queue it is in.
onLanguageChange(() => {
  transcript.setLabels(authorLabels());
  showConnection(connectionKey);
  render();
  loadCatalog();
});

initLanguageControl(ui.language);
render();
loadCatalog();
connect();
