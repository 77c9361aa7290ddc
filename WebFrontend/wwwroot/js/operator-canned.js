// Canned replies for the operator console: one list per language, asked of the operator hub once and
// shared by every chat panel in that language. A save (or the editor's fresh load) replaces the cached
// list and tells the listeners, so no panel keeps offering a reply that was just changed or removed.

export class CannedReplies {
  /** invoke(method, ...args): a call on the console's current hub connection. */
  constructor(invoke) {
    this.invoke = invoke;
    this.lists = new Map(); // language -> Promise of string[]
    this.listeners = new Set();
  }

  /** The replies of a language: the cached list, or fetched once and cached. */
  async get(language) {
    let loading = this.lists.get(language) ?? this.fetch(language);
    for (;;) {
      const list = await loading;
      // A save or a fresh load may have replaced the entry while this one was on its way: it is newer.
      const now = this.lists.get(language);
      if (!now || now === loading) return list;
      loading = now;
    }
  }

  /** Asks the server again (others may have edited the list) and tells the listeners what it says. */
  async reload(language) {
    const loading = this.fetch(language);
    const list = await loading;
    if (this.lists.get(language) !== loading) return this.get(language); // a save overtook this load
    this.changed(language, list);
    return list;
  }

  /** Saves a language's replies; resolves with the list as the server kept it (trimmed, no blanks). */
  async save(language, replies) {
    const saved = asList(await this.invoke('SetCannedReplies', language, replies));
    this.lists.set(language, Promise.resolve(saved));
    this.changed(language, saved);
    return saved;
  }

  /** listener(language, list) runs whenever a language's list is saved or loaded afresh. */
  onChange(listener) {
    this.listeners.add(listener);
  }

  /** Forgets every list: nothing of one login is kept for the next. */
  clear() {
    this.lists.clear();
  }

  fetch(language) {
    const loading = Promise.resolve(this.invoke('GetCannedReplies', language)).then(asList);
    this.lists.set(language, loading);
    // A failed load is not kept: the next panel or refresh asks again.
    loading.catch(() => {
      if (this.lists.get(language) === loading) this.lists.delete(language);
    });
    return loading;
  }

  changed(language, list) {
    for (const listener of this.listeners) listener(language, list);
  }
}

// Whatever the server sends is shown as text; anything but an array counts as no replies.
function asList(value) {
  return Array.isArray(value) ? value.map((r) => String(r ?? '')) : [];
}
