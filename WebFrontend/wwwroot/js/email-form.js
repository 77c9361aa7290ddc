// "Email us": the request form (e-mail, order number, text) for payment and refund questions.
// The server is the one judge of the fields (the form has novalidate); its per-field messages are
// shown next to the fields they name, as text.

import { t, uiLanguage } from './i18n.js';
import { sendEmailRequest } from './help-api.js';

// ValidationProblem keys (camelCase) -> the form field they belong to; anything else is a general error.
const FIELDS = ['email', 'orderNumber', 'text'];

export class EmailForm {
  /**
   * el: { form, email, orderNumber, text, submit, cancel, reference,
   *       errors: { email, orderNumber, text } }
   * question() gives the question the request is about; onError(message) / clearError() drive the
   * page's general error line.
   */
  constructor(el, { question, onError, clearError }) {
    this.el = el;
    this.question = question;
    this.onError = onError;
    this.clearError = clearError;
    this.reference = null;
    this.sending = false;

    el.form.addEventListener('submit', (event) => {
      event.preventDefault();
      this.submit();
    });
    el.cancel.addEventListener('click', () => this.close());
  }

  open() {
    this.reference = null;
    this.render();
    this.el.form.hidden = false;
    this.el.email.focus();
  }

  close() {
    this.el.form.hidden = true;
    this.showFieldErrors({});
  }

  /** Forgets everything about the previous question: the open form and the last reference. */
  reset() {
    this.close();
    this.reference = null;
    this.render();
  }

  /** Re-renders the texts built here (after a language switch). */
  render() {
    this.el.reference.hidden = !this.reference;
    this.el.reference.textContent = this.reference ? t('email.reference', { reference: this.reference }) : '';
  }

  async submit() {
    const question = this.question();
    if (this.sending || !question) return;
    this.sending = true;
    this.el.submit.disabled = true;
    this.clearError();
    this.showFieldErrors({});
    try {
      const answer = await sendEmailRequest({
        language: uiLanguage(),
        questionId: question.id,
        email: this.el.email.value.trim(),
        orderNumber: this.el.orderNumber.value.trim(),
        text: this.el.text.value.trim(),
      });
      this.el.form.reset();
      this.close();
      this.reference = answer?.reference ?? null;
      this.render();
    } catch (e) {
      this.showProblem(e);
    } finally {
      this.sending = false;
      this.el.submit.disabled = false;
    }
  }

  // A 400 carries { title, errors: { field: [messages] } }; anything else is a general failure.
  showProblem(e) {
    const errors = e.status === 400 ? e.body?.errors : null;
    if (!errors || typeof errors !== 'object') {
      this.onError(e.message);
      return;
    }
    const byField = {};
    const general = [];
    for (const [key, messages] of Object.entries(errors)) {
      const list = Array.isArray(messages) ? messages.map(String) : [String(messages)];
      // Keys are camelCase by contract; matching without case also copes with "Email" or "OrderNumber".
      const field = FIELDS.find((f) => f.toLowerCase() === key.toLowerCase());
      if (field) byField[field] = [...(byField[field] ?? []), ...list];
      else general.push(...list);
    }
    this.showFieldErrors(byField);
    const hasFieldErrors = Object.keys(byField).length > 0;
    const lead = hasFieldErrors ? t('email.invalid') : (general.length ? '' : e.body?.title ?? e.message);
    this.onError([lead, ...general].filter(Boolean).join(' '));
    const first = FIELDS.find((f) => byField[f]);
    if (first) this.el[first].focus();
  }

  showFieldErrors(byField) {
    for (const field of FIELDS) {
      const messages = byField[field];
      const line = this.el.errors[field];
      line.textContent = messages ? messages.join(' ') : '';
      line.hidden = !messages;
      if (messages) this.el[field].setAttribute('aria-invalid', 'true');
      else this.el[field].removeAttribute('aria-invalid');
    }
  }
}
