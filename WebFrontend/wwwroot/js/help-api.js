// The help center's HTTP API: catalog, opening hours, suggestion feedback, e-mail requests.
// Failures become Errors whose message is ready to show (in the UI language).

import { t } from './i18n.js';

/** An answer other than 2xx; body is the parsed JSON (e.g. a ValidationProblem), if any. */
export class HttpError extends Error {
  constructor(status, body) {
    super(t('error.http', { status }));
    this.status = status;
    this.body = body;
  }
}

async function request(url, { method = 'GET', body } = {}) {
  let response;
  try {
    response = await fetch(url, {
      method,
      headers: body === undefined ? { Accept: 'application/json' }
        : { Accept: 'application/json', 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new Error(t('error.network')); // offline, or the server is down
  }
  // 204 and some errors have no body; a body that is not JSON is treated as none.
  const text = await response.text().catch(() => '');
  let json = null;
  if (text) {
    try {
      json = JSON.parse(text);
    } catch {
      json = null;
    }
  }
  if (!response.ok) throw new HttpError(response.status, json);
  return json;
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
