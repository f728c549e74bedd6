/**
 * The page's one way to the API: the flow's /api routes, relative to the page, so it works on `/` of the
 * dedicated port and on `<httpNodeRoot>/twc/` of Node-RED's port alike.
 */

const TOKEN_KEY = 'twcApiToken';
/** From `/twc/` the API is one level up; from `/` of the dedicated port `..` stays at the root. */
const API_BASE = '../api/';

export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

/** A command's answer with the warning of a command that cannot take effect now (docs/api.md §4). */
export interface Answer {
  status: number;
  data: unknown;
  warning?: string;
}

export function storedToken(): string {
  try {
    return localStorage.getItem(TOKEN_KEY) ?? '';
  } catch {
    return '';
  }
}

export function storeToken(token: string): void {
  try {
    localStorage.setItem(TOKEN_KEY, token);
  } catch {
    // Private mode: the token lasts as long as the page does not.
  }
}

/** Called when the API asks for its token (a 401), so the page can show the token box. */
let onLocked: () => void = () => undefined;
export function whenLocked(f: () => void): void {
  onLocked = f;
}

export async function call(method: 'GET' | 'POST', name: string, body?: unknown): Promise<Answer> {
  const headers: Record<string, string> = {};
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  // A header of its own: Authorization may carry the browser's basic-auth login (docs/api.md §1.6).
  const token = storedToken();
  if (token) headers['X-TWC-Token'] = token;
  const res = await fetch(API_BASE + name, {
    method,
    headers,
    cache: 'no-store',
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let data: unknown = text;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    // Plain-text answers (getUUID, getLastTWCResponse) stay text.
  }
  const error = isRecord(data) && typeof data.error === 'string' ? data.error : undefined;
  if (res.status === 401) {
    onLocked();
    throw new ApiError(error ?? 'the API needs its token', 401);
  }
  if (!res.ok) throw new ApiError(error ?? `HTTP ${res.status}`, res.status);
  const warning = isRecord(data) && typeof data.warning === 'string' ? data.warning : undefined;
  return { status: res.status, data, warning };
}

export const get = async (name: string): Promise<unknown> => (await call('GET', name)).data;
export const post = (name: string, body: unknown = {}): Promise<Answer> => call('POST', name, body);

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
