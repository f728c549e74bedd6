import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';

// The README's route list and the example flow's http-in routes are the same, in the same order.

const ROOT = path.join(__dirname, '..', '..', '..');
const read = (file: string): string => fs.readFileSync(path.join(ROOT, file), 'utf8');

/** The names of the README's "- GET:" or "- POST:" item in its API section, as written. */
export function readmeRoutes(readme: string, method: 'GET' | 'POST'): string[] {
  const section = readme.split(/^## /m).find((s) => s.startsWith('The TWCManager HTTP API, as a flow'));
  assert.ok(section, 'the README has its API section');
  const item = new RegExp(`^- ${method}:((?:.|\\n  )*)`, 'm').exec(section);
  assert.ok(item, `the README lists the ${method} routes`);
  return [...item[1].matchAll(/`([^`]+)`/g)].map((m) => m[1]);
}

/** The example flow's http-in routes of `method`, in the order of the file. */
function flowRoutes(method: 'get' | 'post'): string[] {
  const flow = JSON.parse(read('examples/02 - TWCManager HTTP API.json')) as Record<string, string>[];
  return flow
    .filter((n) => n.type === 'http in' && n.method === method)
    .map((n) => n.url.replace(/^\/api\//, ''));
}

describe('the README lists the example flow’s routes exactly', () => {
  it('GET and POST, the same names in the same order', () => {
    const readme = read('README.md');
    assert.deepEqual(readmeRoutes(readme, 'GET'), flowRoutes('get'));
    assert.deepEqual(readmeRoutes(readme, 'POST'), flowRoutes('post'));
  });

  it('the parser reads a list that wraps, and misses no name', () => {
    const text =
      '## The TWCManager HTTP API, as a flow\n\n- GET: `a`, `b`,\n  `c`\n- POST: `d`\n\nMore `e`.\n';
    assert.deepEqual(readmeRoutes(text, 'GET'), ['a', 'b', 'c']);
    assert.deepEqual(readmeRoutes(text, 'POST'), ['d']);
  });
});
