// The frequent-questions browser shared by the help page and the chat window:
// categories → questions → "Our Suggestion" with "Did this solve your problem?" feedback.
// Catalog texts come from the server, so they are only ever set as textContent.

import { t } from './i18n.js';
import { sendFeedback } from './help-api.js';

export class CatalogView {
  /**
   * el: { categories, questionsSection, categoryTitle, questions,
   *       suggestionSection, questionTitle, suggestions, noSuggestions }
   * onQuestion(question) runs when the customer picks a question (not when the page selects one).
   * onError(message) reports a failed feedback post.
   */
  constructor(el, { onQuestion = () => {}, onError = () => {} } = {}) {
    this.el = el;
    this.onQuestion = onQuestion;
    this.onError = onError;
    this.catalog = null;
    this.categoryId = null;
    this.questionId = null;
    // suggestionId -> 'sending' | true | false; kept across re-renders (e.g. a language switch)
    this.answers = new Map();

    el.categories.addEventListener('click', (event) => {
      const button = event.target.closest('button[data-category]');
      if (button) this.chooseCategory(button.dataset.category);
    });
    el.questions.addEventListener('click', (event) => {
      const button = event.target.closest('button[data-question]');
      if (!button) return;
      this.showQuestion(button.dataset.question);
      if (this.question) this.onQuestion(this.question);
    });
    el.suggestions.addEventListener('click', (event) => {
      const button = event.target.closest('button.solved-yes, button.solved-no');
      const item = button?.closest('li[data-suggestion]');
      if (item) this.answer(item, button.classList.contains('solved-yes'));
    });
  }

  /** Shows a (re)loaded catalog, keeping the category and question chosen so far if they still exist. */
  show(catalog) {
    this.catalog = catalog;
    if (!this.category) this.categoryId = null;
    if (!this.question) this.questionId = null;
    this.renderCategories();
    this.renderQuestions();
    this.renderSuggestions();
  }

  get category() {
    return this.catalog?.categories.find((c) => c.id === this.categoryId) ?? null;
  }

  get question() {
    return this.category?.questions.find((q) => q.id === this.questionId) ?? null;
  }

  /** Finds a question anywhere in the catalog (e.g. the one a resumed chat session was about). */
  findQuestion(questionId) {
    for (const category of this.catalog?.categories ?? []) {
      const question = category.questions.find((q) => q.id === questionId);
      if (question) return { category, question };
    }
    return null;
  }

  chooseCategory(categoryId) {
    if (categoryId === this.categoryId) return;
    this.categoryId = categoryId;
    this.questionId = null;
    this.markPressed(this.el.categories, 'category', categoryId);
    this.renderQuestions();
    this.renderSuggestions();
  }

  /** Selects a question and shows its suggestions, without telling onQuestion. */
  showQuestion(questionId) {
    const found = this.findQuestion(questionId);
    if (!found) return;
    const categoryChanged = found.category.id !== this.categoryId;
    this.categoryId = found.category.id;
    this.questionId = questionId;
    if (categoryChanged) {
      this.markPressed(this.el.categories, 'category', this.categoryId);
      this.renderQuestions();
    } else {
      this.markPressed(this.el.questions, 'question', questionId);
    }
    this.renderSuggestions();
  }

  // ---- rendering ----

  renderCategories() {
    const items = (this.catalog?.categories ?? []).map((c) =>
      choiceItem('category', c.id, c.title, c.id === this.categoryId));
    this.el.categories.replaceChildren(...items);
  }

  renderQuestions() {
    const category = this.category;
    this.el.questionsSection.hidden = !category;
    if (!category) {
      this.el.questions.replaceChildren();
      return;
    }
    this.el.categoryTitle.textContent = category.title;
    this.el.questions.replaceChildren(...category.questions.map((q) =>
      choiceItem('question', q.id, q.title, q.id === this.questionId)));
  }

  renderSuggestions() {
    const question = this.question;
    this.el.suggestionSection.hidden = !question;
    if (!question) {
      this.el.suggestions.replaceChildren();
      return;
    }
    this.el.questionTitle.textContent = question.title;
    this.el.suggestions.replaceChildren(...question.suggestions.map((s) => this.suggestionItem(s)));
    this.el.noSuggestions.hidden = question.suggestions.length > 0;
  }

  suggestionItem(suggestion) {
    const li = document.createElement('li');
    li.className = 'suggestion';
    li.dataset.suggestion = suggestion.id;

    const text = document.createElement('p');
    text.className = 'suggestion-text';
    text.textContent = suggestion.text;

    const feedback = document.createElement('div');
    feedback.className = 'feedback';
    const ask = document.createElement('span');
    ask.textContent = t('feedback.question');
    const yes = feedbackButton('solved-yes', t('feedback.yes'));
    const no = feedbackButton('solved-no', t('feedback.no'));
    const thanks = document.createElement('span');
    thanks.className = 'feedback-thanks';
    thanks.textContent = t('feedback.thanks');
    feedback.append(ask, yes, no, thanks);

    li.append(text, feedback);
    this.showAnswer(li);
    return li;
  }

  // Answered (or being sent): both buttons off; "Thank you" once the server has it.
  showAnswer(li) {
    const answer = this.answers.get(li.dataset.suggestion);
    for (const button of li.querySelectorAll('.feedback button')) button.disabled = answer !== undefined;
    li.querySelector('.feedback-thanks').hidden = answer === undefined || answer === 'sending';
    if (typeof answer === 'boolean') li.dataset.solved = String(answer);
  }

  markPressed(list, kind, id) {
    for (const button of list.querySelectorAll(`button[data-${kind}]`)) {
      button.setAttribute('aria-pressed', String(button.dataset[kind] === id));
    }
  }

  // ---- feedback ----

  async answer(li, solved) {
    const suggestionId = li.dataset.suggestion;
    const questionId = this.questionId;
    if (this.answers.has(suggestionId)) return;
    this.answers.set(suggestionId, 'sending');
    this.showAnswer(li);
    try {
      await sendFeedback(questionId, suggestionId, solved);
      this.answers.set(suggestionId, solved);
    } catch (e) {
      this.answers.delete(suggestionId); // lets the customer try again
      this.onError(e.message);
    }
    // The list may have been re-rendered meanwhile: update whichever item shows this suggestion now.
    const current = [...this.el.suggestions.children].find((item) => item.dataset.suggestion === suggestionId);
    if (current) this.showAnswer(current);
  }
}

function choiceItem(kind, id, title, pressed) {
  const li = document.createElement('li');
  const button = document.createElement('button');
  button.type = 'button';
  button.className = `choice ${kind}`;
  button.dataset[kind] = id;
  button.setAttribute('aria-pressed', String(pressed));
  button.textContent = title;
  li.append(button);
  return li;
}

function feedbackButton(className, label) {
  const button = document.createElement('button');
  button.type = 'button';
  button.className = `${className} secondary small`;
  button.textContent = label;
  return button;
}
