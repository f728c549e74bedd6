import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * The web page's files: the HTML, CSS and icon of src/web/static and the browser code compiled from
 * src/web/client (tsconfig.web.json), all in dist/web/static once built (scripts/build.js). They are read
 * once and served from memory; nothing else on disk can be asked for, whatever the path says.
 */
export interface WebAsset {
  type: string;
  body: Buffer;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.svg': 'image/svg+xml',
};

/** The page's own name; it is served for the folder (`/` and `/twc/`), not under this name. */
export const PAGE_FILE = 'index.html';

/** dist/web/static of the package, found from wherever this module was compiled to (dist/ or build/). */
function staticDir(): string {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'package.json'))) {
    const up = path.dirname(dir);
    if (up === dir) throw new Error('web page: the package root was not found');
    dir = up;
  }
  return path.join(dir, 'dist', 'web', 'static');
}

let cache: Map<string, WebAsset> | undefined;

/** Every file of the page by its name; a missing build is an error at the first request, said plainly. */
export function webAssets(): Map<string, WebAsset> {
  if (cache) return cache;
  const dir = staticDir();
  const files = new Map<string, WebAsset>();
  for (const name of fs.readdirSync(dir)) {
    const type = TYPES[path.extname(name)];
    if (type) files.set(name, { type, body: fs.readFileSync(path.join(dir, name)) });
  }
  if (!files.has(PAGE_FILE)) throw new Error(`web page: ${dir} has no ${PAGE_FILE}; run npm run build`);
  cache = files;
  return files;
}

/**
 * What a GET of `rest` (the path below the page's folder, without its leading slash) is: the page for the
 * folder itself, one of its files, or nothing (so the caller passes the request on).
 */
export function assetFor(rest: string): WebAsset | undefined {
  const assets = webAssets();
  if (rest === '') return assets.get(PAGE_FILE);
  if (rest === PAGE_FILE || rest.includes('/')) return undefined;
  return assets.get(rest);
}

/** Static files change only with a new version of the package, which restarts Node-RED. */
export const CACHE_CONTROL = 'no-cache';
