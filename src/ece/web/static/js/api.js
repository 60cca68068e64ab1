// The JSON API as the pages use it: session cookie, CSRF header, Idempotency-Key, problem+json.

export class Problem extends Error {
  /** @param {number} status @param {any} body */
  constructor(status, body) {
    super((body && body.detail) || `Request failed (${status})`);
    this.status = status;
    this.code = body && body.code;
    this.invalidParams = (body && body.invalid_params) || [];
    this.body = body || {}; // the problem's own fields (missing, price...) for the way forward
  }
}

function cookie(name) {
  const found = document.cookie.split("; ").find((c) => c.startsWith(name + "="));
  return found ? decodeURIComponent(found.slice(name.length + 1)) : "";
}

export function newKey() {
  return crypto.randomUUID();
}

/**
 * @param {string} method
 * @param {string} path
 * @param {any} [body]
 * @param {{idempotencyKey?: string}} [options]
 */
export async function api(method, path, body, options = {}) {
  const headers = { Accept: "application/json, application/problem+json" };
  // Double-submit CSRF: only our own pages can read the cookie to copy it into the header.
  if (method !== "GET") headers["X-CSRF-Token"] = cookie("ece_csrf");
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (options.idempotencyKey) headers["Idempotency-Key"] = options.idempotencyKey;
  const response = await fetch(path, {
    method,
    headers,
    credentials: "same-origin",
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (response.status === 204) return null;
  const data = await response.json().catch(() => null);
  if (!response.ok) throw new Problem(response.status, data);
  return data;
}
