import type { IncomingHttpHeaders } from 'node:http';

/** Methods that change nothing: a page on another site may send them, it cannot read the answer. */
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

const header = (headers: IncomingHttpHeaders, name: string): string | undefined => {
  const v = headers[name];
  return typeof v === 'string' ? v : undefined;
};

/**
 * Why a request must be refused as a cross-site request, or undefined to let it pass. Only requests that
 * change something are judged. A browser names the page that sent a request in `Origin` and, in current
 * browsers, `Sec-Fetch-Site`; clients that are not browsers (curl, openWB, Home Assistant) send neither and
 * pass. Same-site is not enough: another web app on the same host (another port) is another origin.
 */
export function crossSiteRefusal(
  method: string,
  headers: IncomingHttpHeaders,
  allowed: readonly string[],
): string | undefined {
  if (SAFE_METHODS.has(method.toUpperCase())) return undefined;
  const origin = header(headers, 'origin');
  const fetchSite = header(headers, 'sec-fetch-site');
  if (origin !== undefined && allowed.includes(origin)) return undefined;
  if (fetchSite === 'same-origin' || fetchSite === 'none') return undefined;
  if (fetchSite === undefined) {
    if (origin === undefined) return undefined;
    const host = header(headers, 'host');
    if (host !== undefined && (origin === `http://${host}` || origin === `https://${host}`)) return undefined;
  }
  const from = origin ?? `a ${fetchSite} page`;
  return `cross-site request refused: ${from} is not this API's origin nor in the twc-master's allowed origins`;
}
