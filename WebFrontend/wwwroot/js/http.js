// One way for every page to talk JSON to our own server: the login cookie goes along, answers are
// never taken from a cache, and any failure is an HttpFailure that says what happened. Each page turns
// that into words of its own (and its own language).

/** status 0: no answer at all (reason 'network' or 'timeout'); else the HTTP status and parsed body. */
export class HttpFailure extends Error {
  constructor(status, body = null, reason = 'http') {
    super(`HTTP ${status} (${reason})`);
    this.status = status;
    this.body = body;
    this.reason = reason;
  }
}

export async function fetchJson(url, { method = 'GET', body, timeoutMs } = {}) {
  let response;
  try {
    response = await fetch(url, {
      method,
      headers: body === undefined ? { Accept: 'application/json' }
        : { Accept: 'application/json', 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin', // the login cookie (the default, spelled out because logins hang on it)
      cache: 'no-store', // live numbers and "who am I" must reflect now, not a cached answer
      signal: timeoutMs && typeof AbortSignal.timeout === 'function' ? AbortSignal.timeout(timeoutMs) : undefined,
    });
  } catch (e) {
    throw new HttpFailure(0, null, e?.name === 'TimeoutError' ? 'timeout' : 'network');
  }
  // 204 and some errors have no body; a body that is not JSON is treated as none.
  const text = await response.text().catch(() => '');
  let json = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = null;
  }
  if (!response.ok) throw new HttpFailure(response.status, json);
  return json;
}

/**
 * What a ProblemDetails body says went wrong (`detail`), or null. A bare `title` ("Unauthorized") is only
 * the status in words, which every 4xx now carries; the pages say that better in their own words.
 */
export function problemText(body) {
  if (body?.detail) return String(body.detail);
  return null;
}
