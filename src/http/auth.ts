import type * as Bcrypt from 'bcryptjs';
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

/** bcryptjs, loaded on the first bcrypt password check: only Node-RED's httpNodeAuth needs it. */
function compareSync(password: string, hash: string): boolean {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require('bcryptjs') as typeof Bcrypt).compareSync(password, hash);
}

const digest = (s: string): Buffer => createHash('sha256').update(s, 'utf8').digest();

/**
 * The API token's header of its own. `Authorization` may already carry Node-RED's basic-auth credentials,
 * so a client behind both locks sends the token here (docs/api.md §1.6).
 */
export const TOKEN_HEADER = 'x-twc-token';

/** The 401 reason wherever the API token is missing or wrong (both ports, every node). */
export const TOKEN_REQUIRED =
  'a valid API token is required: send "X-TWC-Token: <token>" (or "Authorization: Bearer <token>")';

const sameSecret = (given: string, token: string): boolean => timingSafeEqual(digest(given), digest(token));

/** `X-TWC-Token: <token>` or `Authorization: Bearer <token>`, compared in constant time. */
export function tokenPresented(headers: IncomingHttpHeaders, token: string): boolean {
  const own = headers[TOKEN_HEADER];
  if (typeof own === 'string' && own.trim() !== '' && sameSecret(own.trim(), token)) return true;
  const m = /^Bearer\s+(.+)$/i.exec(headers.authorization ?? '');
  return !!m && sameSecret(m[1].trim(), token);
}

/** Node-RED's httpNodeAuth `{user, pass}`: pass is a bcrypt hash, or an MD5 hex digest on old installs. */
export interface BasicCredentials {
  user: string;
  pass: string;
}

export function isBasicCredentials(v: unknown): v is BasicCredentials {
  return !!v && typeof v === 'object' && 'user' in v && 'pass' in v;
}

/** A checker for `Authorization: Basic …` against httpNodeAuth, with the last good password cached as Node-RED does. */
export function basicAuthChecker(creds: BasicCredentials): (header: string | undefined) => boolean {
  let cached: string | undefined;
  const passwordOk = (p: string): boolean => {
    if (cached !== undefined && cached === p) return true;
    const ok =
      creds.pass.length === 32
        ? createHash('md5').update(p, 'utf8').digest('hex') === creds.pass
        : compareSync(p, creds.pass);
    if (ok) cached = p;
    return ok;
  };
  return (header) => {
    const m = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(header ?? '');
    if (!m) return false;
    const decoded = Buffer.from(m[1], 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) return false;
    return decoded.slice(0, colon) === creds.user && passwordOk(decoded.slice(colon + 1));
  };
}
