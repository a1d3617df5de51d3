// Calls to the editing API: JSON in and out, the session's CSRF token on
// every write, If-Match from the revision the editor read, and errors that
// keep the server's code and (on a 412) the record as it is now.

let csrfToken = null;

/** Remembers the CSRF token of the signed-in session (null when signed out). */
export function setCsrfToken(token) {
  csrfToken = token || null;
}

/** An API failure: HTTP status, the server's stable code, and `current` on a conflict. */
export class ApiError extends Error {
  constructor(status, code, message, current) {
    super(message);
    this.status = status;
    this.code = code;
    this.current = current;
  }
}

/** The revision number in an ETag header ("3" or W/"3"), or null. */
function revisionOf(etag) {
  const digits = String(etag || '').replace(/[^0-9]/g, '');
  return digits ? Number(digits) : null;
}

/**
 * Sends one request. `revision` becomes If-Match; resolves to
 * {data, revision} (revision from the reply's ETag), throws ApiError.
 */
export async function api(method, url, { body, revision } = {}) {
  const headers = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (revision !== undefined && revision !== null) headers['If-Match'] = `"${revision}"`;
  if (method !== 'GET' && csrfToken) headers['X-CSRF-Token'] = csrfToken;
  const res = await fetch(url, {
    method,
    headers,
    credentials: 'same-origin',
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  let data = null;
  try { data = await res.json(); } catch { /* an empty or non-JSON body */ }
  if (!res.ok) {
    const error = data && data.error ? data.error : {};
    throw new ApiError(res.status, error.code || 'http', error.message || `HTTP ${res.status}`, error.current);
  }
  return { data, revision: revisionOf(res.headers.get('ETag')) };
}

/** The place URL for an id (ids contain ':'). */
export function placeUrl(id, suffix = '') {
  return `/api/places/${encodeURIComponent(id)}${suffix}`;
}
