// Operator and supervisor accounts: login, logout, "who am I", and (supervisors only) the account list.
// The login lives in an HttpOnly cookie that the browser sends by itself; this page never sees it.
// Every failure becomes an ApiError whose message is ready to show.

import { fetchJson, problemText } from './http.js';

/** An answer other than 2xx (status 0: the server could not be reached); body is the parsed JSON, if any. */
export class ApiError extends Error {
  constructor(status, message, body = null) {
    super(message);
    this.status = status;
    this.body = body;
  }
}

async function request(url, options) {
  try {
    return await fetchJson(url, options);
  } catch (e) {
    if (e.status === 0) throw new ApiError(0, 'Cannot reach the server.');
    throw new ApiError(e.status, message(e.status, e.body), e.body);
  }
}

function message(status, body) {
  const said = problemText(body);
  if (said) return said;
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

/** Supervisors only: disables (every login of the account ends at once) or enables an account; resolves to it. */
export function setAccountDisabled(userName, disabled) {
  return request(`/api/accounts/${encodeURIComponent(userName)}/${disabled ? 'disable' : 'enable'}`, { method: 'POST' });
}

/**
 * Changes the signed-in user's password; every login of the account ends, this one too. A 400 rejects
 * with body.errors.currentPassword or body.errors.newPassword.
 */
export function changePassword(currentPassword, newPassword) {
  return request('/api/account/password', { method: 'POST', body: { currentPassword, newPassword } });
}
