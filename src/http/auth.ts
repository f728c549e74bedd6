import { compareSync } from 'bcryptjs';
import { createHash, timingSafeEqual } from 'node:crypto';

const digest = (s: string): Buffer => createHash('sha256').update(s, 'utf8').digest();

/** The 401 reason wherever the API token is missing or wrong (both ports, every node). */
export const BEARER_REQUIRED = 'a valid "Authorization: Bearer <token>" header is required';

/** `Authorization: Bearer <token>`, compared in constant time. */
export function bearerMatches(header: string | undefined, token: string): boolean {
  const m = /^Bearer\s+(.+)$/i.exec(header ?? '');
  return !!m && timingSafeEqual(digest(m[1].trim()), digest(token));
}

/** Node-RED's httpNodeAuth `{user, pass}`: pass is a bcrypt hash, or an MD5 hex digest on old installs. */
export interface BasicCredentials {
  user: string;
  pass: string;
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
