// The customer pages' texts in English and Russian, and the choice between them (the operator console,
// otherwise English, takes its few translated texts from here too).
// Static texts carry data-i18n attributes (filled by applyTranslations); scripts call t() for the rest.
// Every text ends up in textContent or an attribute, never in innerHTML.

const STORAGE_KEY = 'orleansSupport.language';
export const LANGUAGES = ['en', 'ru'];

const en = {
  'ui.language': 'Language',

  // Help → Customer Support (index.html)
  'help.pageTitle': 'Customer Support',
  'help.breadcrumb': 'Help → Customer Support',
  'help.categories': 'Frequent questions',
  'help.chooseCategory': 'Choose a topic, then your question.',
  'help.suggestion': 'Our Suggestion',
  'help.noSuggestions': 'We have no ready answer for this question yet.',
  'help.loading': 'Loading…',
  'help.chatNow': 'Chat now',
  'help.emailUs': 'Email us',
  'help.chatHint': 'An operator cannot help with this question; see the suggestions above.',
  'help.emailHint': 'E-mail is available for payment and refund questions.',
  'feedback.question': 'Did this solve your problem?',
  'feedback.yes': 'Yes',
  'feedback.no': 'No',
  'feedback.thanks': 'Thank you',

  // Opening hours; {langIn} and {fallbackIn} are "in Russian"-style phrases from langIn.*
  'hours.times': 'Support {langIn} is available from {opens} to {closes} {zone}.',
  'hours.closedNow': 'Support {langIn} is closed right now.',
  'hours.fallbackNow': 'Right now you can chat {fallbackIn}.',
  'hours.comeBack': 'Please come back during these hours.',
  'hours.orEmail': 'You can also e-mail us.',
  'langIn': 'in {name}',
  'langIn.en': 'in English',
  'langIn.ru': 'in Russian',
  'chatIn': 'Chat in {name}',
  'chatIn.en': 'Chat in English',
  'chatIn.ru': 'Chat in Russian',
  'moveTo': 'Switch to the {name} queue',
  'moveTo.en': 'Switch to the English queue',
  'moveTo.ru': 'Switch to the Russian queue',
  'zone': '{tz} time',
  'zone.Europe/Moscow': 'Moscow time',
  'zone.UTC': 'UTC',

  // E-mail form
  'email.title': 'Email us',
  'email.address': 'Your e-mail',
  'email.order': 'Order number',
  'email.text': 'Your message',
  'email.submit': 'Send request',
  'email.cancel': 'Cancel',
  'email.invalid': 'Please correct the marked fields.',
  'email.reference': 'Your request was received. Reference: {reference}',

  // Chat window (chat.html)
  'chat.pageTitle': 'Support chat',
  'chat.back': '← Help',
  'chat.questions': 'Frequent questions',
  'chat.help': 'livechat_help — talk to an operator',
  'chat.end': 'End chat',
  'chat.leave': 'Leave queue',
  'chat.newChat': 'Start a new chat',
  'chat.typing': 'Operator is typing…',
  'chat.placeholder': 'Type a message',
  'chat.message': 'Message',
  'chat.send': 'Send',
  'chat.keepTime': 'You keep your place by waiting time.',
  'chat.download': 'Download transcript',
  'rating.legend': 'How did we do?',
  'rating.comment': 'Comment (optional)',
  'rating.submit': 'Send rating',
  'rating.thanks': 'Thank you for your rating: {n}/5',
  'rating.pickScore': 'Please choose a score from 1 to 5.',
  'rating.tooLong': 'The comment can be at most {max} characters.',
  'rating.notEnded': 'The chat can be rated once it has ended.',
  'status.line': 'Status: {status}',
  'status.Browsing': 'Browsing — ask for an operator whenever you need one',
  'status.Queued': 'Queued — waiting for an operator',
  'status.Chatting': 'Chatting with an operator',
  'status.Ended': 'Ended — this chat is over',
  'queue.number': 'You are number {n} in the queue',
  'queue.wait': 'Estimated wait: about {m} min',
  'queue.waitUnknown': 'Estimated wait: calculating…',
  'author.System': 'System',
  'author.Customer': 'You',
  'author.Operator': 'Operator',
  'system.operator-joined': 'An operator has joined the chat.',
  'system.ended-by-customer': 'You ended the chat.',
  'system.ended-by-operator': 'The operator ended the chat.',
  'system.operator-left': 'The operator was disconnected. You are back at the front of the queue.',
  'system.transferred-to-queue': 'You have been transferred to another queue. You keep your waiting time.',
  'system.transferred-to-operator': 'You have been transferred to another operator.',
  'system.left-queue-away': 'You left the queue because you were away for a while. You can join again; you will be at the back of the queue.',
  'system.customer-left': 'The chat ended because you were away for a while.',

  // Operator console
  'operator.customerOffline': 'Customer offline',

  // Connection and errors
  'conn.connecting': 'Connecting…',
  'conn.lost': 'Connection lost — reconnecting…',
  'conn.disconnected': 'Disconnected.',
  'conn.notConnected': 'Not connected.',
  'conn.reconnect': 'Reconnect',
  'error.network': 'Could not reach the server. Please try again.',
  'error.http': 'The server answered with an error ({status}). Please try again.',
  'error.tooMany': 'Too many requests from this browser or network. Please try again in {seconds} s.',
};

const ru = {
  'ui.language': 'Язык',

  'help.pageTitle': 'Служба поддержки',
  'help.breadcrumb': 'Помощь → Служба поддержки',
  'help.categories': 'Частые вопросы',
  'help.chooseCategory': 'Выберите тему, а затем свой вопрос.',
  'help.suggestion': 'Наш совет',
  'help.noSuggestions': 'Готового ответа на этот вопрос пока нет.',
  'help.loading': 'Загрузка…',
  'help.chatNow': 'Написать в чат',
  'help.emailUs': 'Написать на e-mail',
  'help.chatHint': 'Оператор не может помочь с этим вопросом; воспользуйтесь советами выше.',
  'help.emailHint': 'Написать на e-mail можно по вопросам оплаты и возврата средств.',
  'feedback.question': 'Это решило вашу проблему?',
  'feedback.yes': 'Да',
  'feedback.no': 'Нет',
  'feedback.thanks': 'Спасибо',

  'hours.times': 'Поддержка {langIn} работает с {opens} до {closes} {zone}.',
  'hours.closedNow': 'Поддержка {langIn} сейчас не работает.',
  'hours.fallbackNow': 'Сейчас вы можете написать в чат {fallbackIn}.',
  'hours.comeBack': 'Пожалуйста, обратитесь в эти часы.',
  'hours.orEmail': 'Вы также можете написать нам на e-mail.',
  'langIn': 'на языке «{name}»',
  'langIn.en': 'на английском языке',
  'langIn.ru': 'на русском языке',
  'chatIn': 'Чат: {name}',
  'chatIn.en': 'Чат на английском',
  'chatIn.ru': 'Чат на русском',
  'moveTo': 'Перейти в очередь «{name}»',
  'moveTo.en': 'Перейти в английскую очередь',
  'moveTo.ru': 'Перейти в русскую очередь',
  'zone': 'по времени {tz}',
  'zone.Europe/Moscow': 'по московскому времени',
  'zone.UTC': 'по UTC',

  'email.title': 'Написать на e-mail',
  'email.address': 'Ваш e-mail',
  'email.order': 'Номер заказа',
  'email.text': 'Ваше сообщение',
  'email.submit': 'Отправить запрос',
  'email.cancel': 'Отмена',
  'email.invalid': 'Исправьте отмеченные поля.',
  'email.reference': 'Ваш запрос получен. Номер обращения: {reference}',

  'chat.pageTitle': 'Чат поддержки',
  'chat.back': '← Помощь',
  'chat.questions': 'Частые вопросы',
  'chat.help': 'livechat_help — позвать оператора',
  'chat.end': 'Завершить чат',
  'chat.leave': 'Покинуть очередь',
  'chat.newChat': 'Начать новый чат',
  'chat.typing': 'Оператор печатает…',
  'chat.placeholder': 'Введите сообщение',
  'chat.message': 'Сообщение',
  'chat.send': 'Отправить',
  'chat.keepTime': 'Ваше время ожидания сохранится.',
  'chat.download': 'Скачать переписку',
  'rating.legend': 'Оцените, пожалуйста, чат',
  'rating.comment': 'Комментарий (необязательно)',
  'rating.submit': 'Отправить оценку',
  'rating.thanks': 'Спасибо за оценку: {n}/5',
  'rating.pickScore': 'Выберите оценку от 1 до 5.',
  'rating.tooLong': 'Комментарий может быть не длиннее {max} символов.',
  'rating.notEnded': 'Оценить чат можно после его завершения.',
  'status.line': 'Статус: {status}',
  'status.Browsing': 'Просмотр — позовите оператора, когда понадобится',
  'status.Queued': 'В очереди — ждём оператора',
  'status.Chatting': 'Идёт чат с оператором',
  'status.Ended': 'Завершён — этот чат окончен',
  'queue.number': 'Вы {n}-й в очереди',
  'queue.wait': 'Примерное ожидание: около {m} мин',
  'queue.waitUnknown': 'Примерное ожидание: рассчитывается…',
  'author.System': 'Система',
  'author.Customer': 'Вы',
  'author.Operator': 'Оператор',
  'system.operator-joined': 'Оператор присоединился к чату.',
  'system.ended-by-customer': 'Вы завершили чат.',
  'system.ended-by-operator': 'Оператор завершил чат.',
  'system.operator-left': 'Оператор отключился. Вы снова первый в очереди.',
  'system.transferred-to-queue': 'Вас перевели в другую очередь. Время ожидания сохранено.',
  'system.transferred-to-operator': 'Вас перевели к другому оператору.',
  'system.left-queue-away': 'Вы покинули очередь, потому что долго отсутствовали. Вы можете встать в очередь снова — в её конец.',
  'system.customer-left': 'Чат завершён, потому что вы долго отсутствовали.',

  'operator.customerOffline': 'Клиент не в сети',

  'conn.connecting': 'Подключение…',
  'conn.lost': 'Связь потеряна — переподключаемся…',
  'conn.disconnected': 'Нет связи.',
  'conn.notConnected': 'Не подключено.',
  'conn.reconnect': 'Переподключиться',
  'error.network': 'Не удалось связаться с сервером. Попробуйте ещё раз.',
  'error.http': 'Сервер ответил ошибкой ({status}). Попробуйте ещё раз.',
  'error.tooMany': 'Слишком много запросов из этого браузера или сети. Попробуйте ещё раз через {seconds} с.',
};

const DICTIONARIES = { en, ru };
const listeners = [];

let current = initialLanguage();

function initialLanguage() {
  let stored = null;
  try {
    stored = localStorage.getItem(STORAGE_KEY);
  } catch {
    // storage may be blocked; fall through to the browser's language
  }
  if (LANGUAGES.includes(stored)) return stored;
  return String(navigator.language ?? '').toLowerCase().startsWith('ru') ? 'ru' : 'en';
}

/** The UI language ("en" or "ru"); also the queue a customer joins from "Chat now". */
export function uiLanguage() {
  return current;
}

/** The text for key in the UI language (English if missing), with {name} placeholders filled in. */
export function t(key, params = {}) {
  const text = DICTIONARIES[current][key] ?? en[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (whole, name) => (name in params ? String(params[name]) : whole));
}

/** Whether key has its own text, so callers can pick "langIn.ru" and fall back to the generic "langIn". */
export function has(key) {
  return key in en;
}

/**
 * Fills every element under root that names a key: data-i18n (text), data-i18n-placeholder and
 * data-i18n-aria-label (attributes).
 */
export function applyTranslations(root = document) {
  document.documentElement.lang = current;
  for (const el of root.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
  for (const el of root.querySelectorAll('[data-i18n-placeholder]')) el.placeholder = t(el.dataset.i18nPlaceholder);
  for (const el of root.querySelectorAll('[data-i18n-aria-label]')) {
    el.setAttribute('aria-label', t(el.dataset.i18nAriaLabel));
  }
}

/** Calls listener(language) after every switch, once the static texts are already translated. */
export function onLanguageChange(listener) {
  listeners.push(listener);
}

/** Wires the language <select>, translates the page now, and again on every switch. */
export function initLanguageControl(select) {
  select.value = current;
  select.addEventListener('change', () => setLanguage(select.value));
  applyTranslations();
}

function setLanguage(language) {
  if (!LANGUAGES.includes(language) || language === current) return;
  current = language;
  try {
    localStorage.setItem(STORAGE_KEY, language);
  } catch {
    // not remembered, but the switch still applies to this page
  }
  applyTranslations();
  for (const listener of listeners) listener(language);
}
