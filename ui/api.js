// Every call the dashboard makes. The admin key lives in this tab's sessionStorage only and goes
// out as the X-API-Key header: never in a URL, a cookie or localStorage. Which routes exist is read
// from /openapi.json, so a panel whose route this server does not have yet makes no request.
const KEY_NAME = 'utxoiq-admin-key';

export function storedKey() { return sessionStorage.getItem(KEY_NAME); }
export function storeKey(key) { sessionStorage.setItem(KEY_NAME, key); }
export function forgetKey() { sessionStorage.removeItem(KEY_NAME); }

// A route this server does not have (404 on a route, or not in /openapi.json).
export class NotAvailable extends Error {}
// A non-2xx answer; `detail` is the problem+json detail when there is one.
export class ApiError extends Error {
  constructor(status, detail) {
    super(detail || `HTTP ${status}`);
    this.status = status;
  }
}

let knownPaths = null;

// The path patterns of /openapi.json ("/api/v1/monitoring/backfill/{job_id}").
export async function loadRoutes() {
  const response = await fetch('/openapi.json', {credentials: 'omit', cache: 'no-store'});
  const doc = await response.json();
  knownPaths = new Set(Object.keys(doc.paths || {}));
}
export function hasRoute(pattern) { return knownPaths === null || knownPaths.has(pattern); }

async function problemDetail(response) {
  try {
    const body = await response.json();
    const fields = (body.errors || []).map((e) => `${e.field}: ${e.message}`).join('; ');
    return [body.detail, fields].filter(Boolean).join(' — ');
  } catch {
    return '';
  }
}

async function send(method, path, body, key) {
  const headers = {Accept: 'application/json'};
  if (key) headers['X-API-Key'] = key;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const response = await fetch(path, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    credentials: 'omit',
    cache: 'no-store',
    referrerPolicy: 'no-referrer',
  });
  if (response.ok) return response;
  throw new ApiError(response.status, await problemDetail(response));
}

// An admin route; `pattern` (the route as /openapi.json names it) defaults to the path.
export async function admin(method, path, body, pattern) {
  const route = pattern || path.split('?')[0];
  if (!hasRoute(route)) throw new NotAvailable(route);
  const key = storedKey();
  if (!key) throw new ApiError(401, 'No admin key typed in.');
  try {
    return await (await send(method, path, body, key)).json();
  } catch (e) {
    // A 404 from a route without an id in its path means this server lacks the route.
    if (e instanceof ApiError && e.status === 404 && !route.includes('{'))
      throw new NotAvailable(route);
    throw e;
  }
}
export const get = (path, pattern) => admin('GET', path, undefined, pattern);
export const post = (path, body, pattern) => admin('POST', path, body, pattern);

// An open route (/readyz, /metrics): no key is sent. /readyz answers 503 with a body when the
// primary is down; that body is what the overview shows.
export async function open(path) {
  const response = await fetch(path, {credentials: 'omit', cache: 'no-store'});
  const type = response.headers.get('Content-Type') || '';
  return type.includes('json') ? response.json() : response.text();
}

// Checks a key against an admin route before it is kept: 401 unknown key, 403 not an admin key.
export async function checkKey(key) {
  const response = await send('GET', '/api/v1/monitoring/cache', undefined, key).catch((e) => e);
  if (response instanceof ApiError) {
    if (response.status === 401)
      return 'The server does not know this key. Check it and type it again.';
    if (response.status === 403)
      return 'This key is valid but not an admin key; the dashboard needs an admin key.';
    return `The server refused the key check: ${response.message}`;
  }
  if (response instanceof Error) return `The server could not be reached: ${response.message}`;
  return null;
}
