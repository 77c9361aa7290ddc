// The help center's HTTP API: catalog, opening hours, suggestion feedback, e-mail requests.
// Failures become Errors whose message is ready to show (in the UI language).

import { t } from './i18n.js';
import { fetchJson } from './http.js';

/** An answer other than 2xx; body is the parsed JSON (e.g. a ValidationProblem), if any. */
export class HttpError extends Error {
  constructor(status, body) {
    // 429: a limit was hit; the server says how long to wait (retryAfterSeconds in its ProblemDetails).
    const seconds = Number(body?.retryAfterSeconds);
    super(status === 429 && seconds > 0 ? t('error.tooMany', { seconds }) : t('error.http', { status }));
    this.status = status;
    this.body = body;
  }
}

async function request(url, options) {
  try {
    return await fetchJson(url, options);
  } catch (e) {
    if (e.status === 0) throw new Error(t('error.network')); // offline, or the server is down
    throw new HttpError(e.status, e.body);
  }
}

const query = (language) => `language=${encodeURIComponent(language)}`;

/** { language, categories: [{ id, title, questions: [{ id, title, canChat, canEmail, suggestions }] }] } */
export function getCatalog(language) {
  return request(`/api/help/catalog?${query(language)}`);
}

/** { language, name, open, alwaysOpen, opens, closes, timeZone, fallback, fallbackName, fallbackOpen } */
export function getHours(language) {
  return request(`/api/help/hours?${query(language)}`);
}

export function sendFeedback(questionId, suggestionId, solved) {
  return request('/api/help/feedback', { method: 'POST', body: { questionId, suggestionId, solved } });
}

/** Resolves to { reference }; a 400 rejects with an HttpError whose body holds the per-field errors. */
export function sendEmailRequest({ language, questionId, email, orderNumber, text }) {
  return request('/api/email-requests', {
    method: 'POST', body: { language, questionId, email, orderNumber, text },
  });
}
