// Help → Customer Support: categories, questions, "Our Suggestion", then Chat now / Email us.
// Chat now leads to the chat window; the chat itself starts there.

import { t, uiLanguage, initLanguageControl, onLanguageChange } from './i18n.js';
import { getCatalog, getHours } from './help-api.js';
import { CatalogView } from './help-catalog.js';
import { EmailForm } from './email-form.js';
import { closedNotice, languagePhrase, useFallback } from './hours-text.js';

// A page left open across opening or closing time should notice within a minute.
const HOURS_REFRESH_MS = 60_000;

const $ = (id) => document.getElementById(id);
const ui = {
  language: $('ui-language'), error: $('error'), loading: $('catalog-loading'),
  chatNow: $('chat-now'), emailUs: $('email-us'),
  hoursNotice: $('hours-notice'), chatHint: $('chat-hint'), emailHint: $('email-hint'),
};

// undefined: not known yet (Chat now waits); null: could not be loaded (Chat now is offered, and the
// chat window reports a closed queue if it is one).
let hours;
let catalogLoad = 0; // only the latest load may render, when language switches overlap
let hoursLoad = 0;

const catalogView = new CatalogView({
  categories: $('categories'),
  questionsSection: $('questions-section'), categoryTitle: $('category-title'), questions: $('questions'),
  suggestionSection: $('suggestion-section'), questionTitle: $('question-title'),
  suggestions: $('suggestions'), noSuggestions: $('no-suggestions'),
}, {
  onQuestion: () => {
    clearError();
    emailForm.reset(); // a request is about one question: a form opened for another one closes
    renderActions();
  },
  onError: showError,
});

const emailForm = new EmailForm({
  form: $('email-form'), email: $('email'), orderNumber: $('order-number'), text: $('email-text'),
  submit: $('email-submit'), cancel: $('email-cancel'), reference: $('email-reference'),
  errors: { email: $('email-error'), orderNumber: $('order-number-error'), text: $('email-text-error') },
}, {
  question: () => catalogView.question,
  onError: showError,
  clearError,
});

function showError(message) {
  ui.error.textContent = message;
  ui.error.hidden = !message;
}

function clearError() {
  showError('');
}

// ---- loading ----

async function loadCatalog() {
  const load = ++catalogLoad;
  ui.loading.hidden = false;
  try {
    const catalog = await getCatalog(uiLanguage());
    if (load !== catalogLoad) return;
    catalogView.show(catalog);
    renderActions();
  } catch (e) {
    if (load === catalogLoad) showError(e.message);
  } finally {
    if (load === catalogLoad) ui.loading.hidden = true;
  }
}

async function loadHours() {
  const load = ++hoursLoad;
  let answer = null;
  try {
    answer = await getHours(uiLanguage());
  } catch {
    answer = null; // see `hours`
  }
  if (load !== hoursLoad) return;
  hours = answer;
  renderActions();
}

// ---- Chat now / Email us ----

/** Which queue Chat now leads to: the UI language, or its fallback while the UI language is closed. */
function chatLanguage() {
  return useFallback(hours) ? hours.fallback : uiLanguage();
}

function renderActions() {
  const question = catalogView.question;
  if (!question) return; // the whole section is hidden

  const fallback = question.canChat && useFallback(hours);
  const closed = question.canChat && Boolean(hours) && !hours.open && !fallback;
  ui.chatNow.disabled = !question.canChat || hours === undefined || closed;
  ui.chatNow.textContent = fallback
    ? languagePhrase('chatIn', hours.fallback, hours.fallbackName)
    : t('help.chatNow');
  ui.chatHint.hidden = question.canChat;
  ui.hoursNotice.hidden = !fallback && !closed;
  ui.hoursNotice.textContent = fallback || closed ? closedNotice(hours, { canEmail: question.canEmail }) : '';

  ui.emailUs.disabled = !question.canEmail;
  ui.emailHint.hidden = question.canEmail;
  if (!question.canEmail) emailForm.close();
}

ui.chatNow.addEventListener('click', () => {
  const question = catalogView.question;
  if (!question?.canChat) return;
  const params = new URLSearchParams({ question: question.id, language: chatLanguage() });
  location.assign(`/chat.html?${params}`);
});

ui.emailUs.addEventListener('click', () => {
  if (catalogView.question?.canEmail) emailForm.open();
});

// ---- language ----

onLanguageChange(() => {
  clearError();
  hours = undefined; // the queue follows the UI language: ask again for the new one
  ui.chatNow.disabled = true;
  emailForm.render();
  loadCatalog();
  loadHours();
});

initLanguageControl(ui.language);
loadCatalog();
loadHours();
setInterval(loadHours, HOURS_REFRESH_MS);
