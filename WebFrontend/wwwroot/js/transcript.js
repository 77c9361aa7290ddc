// Shared by the customer page and the operator console.

/**
 * A chat transcript shown in a list element: messages ordered by sequence, each shown once, and
 * always as text (never HTML), whoever wrote them.
 */
export class Transcript {
  constructor(list, authorLabels) {
    this.list = list;
    this.labels = authorLabels;
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
    const who = document.createElement('span');
    who.className = 'msg-author';
    who.textContent = this.labels[m.author] ?? m.author;
    const text = document.createElement('span');
    text.className = 'msg-text';
    text.textContent = m.text; // never innerHTML: chat text stays text
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
