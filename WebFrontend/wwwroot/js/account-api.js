// Operator and supervisor accounts: login, logout, "who am I", and (supervisors only) the account list.
// The login lives in an HttpOnly cookie that the browser sends by itself; this page never sees it.
// Every failure becomes an ApiError whose message is ready to show.

/** An answer other than 2xx (status 0: the server could not be reached); body is the parsed JSON, if any. */
export class ApiError extends Error {
  constructor(status, message, body = null) {
    super(message);
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
      credentials: 'same-origin', // the login cookie (the default, spelled out because everything hangs on it)
      cache: 'no-store', // "who am I" must reflect the login as it is now, not a cached answer
    });
  } catch {
    throw new ApiError(0, 'Cannot reach the server.');
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
  if (!response.ok) throw new ApiError(response.status, problemText(response.status, json), json);
  return json;
}

// A ProblemDetails says what went wrong in `detail` (or at least `title`); else fall back to the status.
function problemText(status, problem) {
  if (problem?.detail) return String(problem.detail);
  if (problem?.title) return String(problem.title);
  if (status === 401) return 'You are not signed in.';
  if (status === 403) return 'Only supervisors may do this.';
  return `The server answered ${status}.`;
}

/** Resolves to { userName, displayName, role }; a 401 means a wrong user name or password. */
export function login(userName, password) {
  return request('/api/account/login', { method: 'POST', body: { userName, password } });
}

/** Ends every login of this account (all browsers, all tabs). */
export function logout() {
  return request('/api/account/logout', { method: 'POST' });
}

/** Resolves to { userName, displayName, role }; rejects with status 401 when not logged in. */
export function me() {
  return request('/api/account/me');
}

/** Supervisors only: [{ userName, displayName, role }]. */
export function listAccounts() {
  return request('/api/accounts');
}

/**
 * Supervisors only: resolves to the new account. A 400 rejects with body.errors per field
 * ({ userName, displayName, password, role }); a 409 means the user name is taken.
 */
export function createAccount({ userName, displayName, password, role }) {
  return request('/api/accounts', { method: 'POST', body: { userName, displayName, password, role } });
}
