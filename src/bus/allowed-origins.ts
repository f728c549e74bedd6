export class OriginListError extends Error {
  override name = 'OriginListError';
}

/**
 * The twc-master's allowed origins, as typed in its dialog: origins (`scheme://host[:port]`) separated by
 * commas, spaces or new lines. Each is normalised the way browsers send `Origin` (lower-case host, default
 * port left out), so that comparing is a plain string match.
 */
export function parseAllowedOrigins(text: string): string[] {
  const out: string[] = [];
  for (const item of text.split(/[\s,]+/).filter((s) => s !== '')) {
    let url: URL;
    try {
      url = new URL(item);
    } catch {
      throw new OriginListError(`"${item}" is not an origin like https://ha.example.com:8123`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:')
      throw new OriginListError(`"${item}" must start with http:// or https://`);
    if ((url.pathname !== '/' && url.pathname !== '') || url.search || url.hash || url.username)
      throw new OriginListError(`"${item}" must be an origin only: scheme, host and port, no path`);
    if (!out.includes(url.origin)) out.push(url.origin);
  }
  return out;
}
