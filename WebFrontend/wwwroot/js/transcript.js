// Shared by the customer page and the operator console.

/**
 * A chat transcript shown in a list element: messages ordered by sequence, each shown once, and
 * always as text (never HTML), whoever wrote them.
 */
export class Transcript {
  /**
   * systemText(code) gives a system line in the page's language (system lines carry a stable code);
   * without it, or for an unknown code, the server's English text is shown.
   */
  constructor(list, authorLabels, systemText = () => undefined) {
    this.list = list;
    this.labels = authorLabels;
    this.systemText = systemText;
    this.seen = new Set();
    this.lastSeq = 0; // highest sequence with nothing missing before it
  }

  /** Adds a message in its place; false when it is already shown. */
  add(m) {
    if (this.seen.has(m.sequence)) return false;
    this.seen.add(m.sequence);

    const li = document.createElement('li');
    li.className = `msg msg-${String(m.author).toLowerCase()}`;
    li.dataset.seq = String(m.sequence);
    li.dataset.author = String(m.author); // lets setLabels rename lines already shown
    if (m.code) li.dataset.code = m.code;
    const who = document.createElement('span');
    who.className = 'msg-author';
    who.textContent = this.labels[m.author] ?? m.author;
    const text = document.createElement('span');
    text.className = 'msg-text';
    text.textContent = (m.code && this.systemText(m.code)) || m.text; // never innerHTML: chat text stays text
    const time = document.createElement('time');
    time.dateTime = m.sentAt;
    time.textContent = new Date(m.sentAt).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
    li.append(who, text, time);

    const next = [...this.list.children].find((el) => Number(el.dataset.seq) > m.sequence);
    this.list.insertBefore(li, next ?? null);
    if (!next) li.scrollIntoView({ block: 'nearest' });

    while (this.seen.has(this.lastSeq + 1)) this.lastSeq++;
    return true;
  }

  /** True when a message arrived after one that never did (e.g. lost during a reconnect). */
  missesSomethingBefore(sequence) {
    return this.lastSeq < sequence;
  }

  /** Switches the author labels (e.g. to another UI language), including on lines already shown. */
  setLabels(authorLabels) {
    this.labels = authorLabels;
    for (const li of this.list.children) {
      const who = li.querySelector('.msg-author');
      if (who) who.textContent = this.labels[li.dataset.author] ?? li.dataset.author;
      const text = li.querySelector('.msg-text');
      const translated = li.dataset.code && this.systemText(li.dataset.code);
      if (text && translated) text.textContent = translated;
    }
  }

  clear() {
    this.list.replaceChildren();
    this.seen.clear();
    this.lastSeq = 0;
  }
}

/** A hub refusal arrives as "... HubException: <code>: <text>"; the part after the prefix is for people. */
export function errorText(e) {
  const message = String(e?.message ?? e);
  const at = message.indexOf('HubException: ');
  return at >= 0 ? message.slice(at + 'HubException: '.length) : message;
}

/** The code of a hub refusal ("queue-closed", "unknown-session", ...), or null for any other error. */
export function errorCode(e) {
  const message = String(e?.message ?? e);
  return message.includes('HubException: ') ? (/^([a-z0-9-]+):/.exec(errorText(e))?.[1] ?? null) : null;
}
