import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * Comments cite documents inside the repository only: every section reference names its file in docs/
 * (`docs/protocol.md §4.5`), every decision is `docs/decisions.md decision N`, and every document named
 * exists. A section or decision that a document renumbers or drops fails here, not in a reader's head.
 */
const root = path.resolve(__dirname, '..', '..', '..');
const SCANNED_DIRS = ['src', 'test', 'bench', 'scripts', 'nodes'];
const SCANNED_ROOT_FILES = ['README.md', 'SAFETY.md', 'BENCHMARKS.md'];
const TEXT_FILE = /\.(ts|js|mjs|cjs|py|sh|html|json)$/;
/** This file: its examples of references that do not resolve are there on purpose. */
const SELF = path.join('test', 'unit', 'docs-references.spec.ts');

const SECTION_SIGN = '\u00a7';
const SECTION = `${SECTION_SIGN}(\\d+(?:\\.\\d+)*)`;
/** `docs/<name>.md` or a markdown link to it, then one or more sections, or decisions. */
const CITATION = new RegExp(
  `docs/([\\w-]+)\\.md(?:\\]\\([^)]*\\))?,?` +
    `((?:(?:\\s*,\\s*|\\s+and\\s+|\\s*-\\s*|\\s+)${SECTION}(?:\\s+item\\s+\\d+)?)+` +
    `|\\s+decisions?\\s+\\d+(?:(?:\\s*,\\s*|\\s+and\\s+)\\d+)*)`,
  'g',
);
const ANY_SECTION = new RegExp(SECTION, 'g');
const ANY_DECISION = /\bdecisions?\s+\d+/gi;
const MARKDOWN_NAME = /[\w./-]*[\w-]\.md\b/g;

interface Problem {
  file: string;
  problem: string;
}

/** Section numbers ("4", "4.5") of a markdown file's numbered headings, with the text under each. */
function sectionsOf(markdown: string): Map<string, string> {
  const out = new Map<string, string>();
  const headings = [...markdown.matchAll(/^#{1,6}\s+(\d+(?:\.\d+)*)[.\s]/gm)];
  headings.forEach((h, i) => {
    const end = i + 1 < headings.length ? headings[i + 1].index : markdown.length;
    out.set(h[1], markdown.slice(h.index, end));
  });
  return out;
}

/** Comment continuation markers removed, so that a citation broken over two lines reads as one. */
const joined = (text: string): string => text.replace(/\n[ \t]*(?:\*(?!\/)|\/\/|#)?[ \t]*/g, ' ');

/** The problems with the references in `text`; `docs` maps a docs/ file name to its contents. */
function checkReferences(file: string, text: string, docs: Map<string, string>): Problem[] {
  const problems: Problem[] = [];
  const flat = joined(text);
  const covered = new Set<number>();
  for (const m of flat.matchAll(CITATION)) {
    const name = `${m[1]}.md`;
    const doc = docs.get(name);
    const start = m.index + m[0].length - m[2].length;
    const sections = sectionsOf(doc ?? '');
    for (const s of m[2].matchAll(new RegExp(`${SECTION}(?:\\s+item\\s+(\\d+))?`, 'g'))) {
      covered.add(start + s.index);
      // A missing file is reported once, below, with every other document name.
      if (doc === undefined) continue;
      const body = sections.get(s[1]);
      if (body === undefined) problems.push({ file, problem: `docs/${name} has no section ${s[1]}` });
      else if (s[2] !== undefined && !new RegExp(`^\\|\\s*${s[2]}\\s*\\|`, 'm').test(body))
        problems.push({ file, problem: `docs/${name} ${SECTION_SIGN}${s[1]} has no item ${s[2]}` });
    }
    const decisions = /decisions?\s+(.*)$/s.exec(m[2]);
    if (decisions) {
      covered.add(start + decisions.index);
      if (doc === undefined) continue;
      if (name !== 'decisions.md') problems.push({ file, problem: `decisions are cited from docs/${name}` });
      for (const n of decisions[1].matchAll(/\d+/g))
        if (!sections.has(n[0])) problems.push({ file, problem: `docs/${name} has no decision ${n[0]}` });
    }
  }
  for (const s of flat.matchAll(ANY_SECTION))
    if (!covered.has(s.index))
      problems.push({ file, problem: `${SECTION_SIGN}${s[1]} does not name its file in docs/` });
  for (const d of flat.matchAll(ANY_DECISION))
    if (!covered.has(d.index)) problems.push({ file, problem: `"${d[0]}" does not name docs/decisions.md` });
  for (const n of flat.matchAll(MARKDOWN_NAME)) {
    const named = n[0].replace(/^\.\//, '');
    const exists = named.startsWith('docs/')
      ? docs.has(named.slice('docs/'.length))
      : !named.includes('/') && fs.existsSync(path.join(root, named));
    if (!exists)
      problems.push({ file, problem: `${named} is not a file of docs/ or of the repository root` });
  }
  return problems;
}

function filesUnder(dir: string): string[] {
  const abs = path.join(root, dir);
  if (!fs.existsSync(abs)) return [];
  return fs.readdirSync(abs, { withFileTypes: true }).flatMap((e) => {
    const rel = path.join(dir, e.name);
    if (e.isDirectory()) return filesUnder(rel);
    return TEXT_FILE.test(e.name) ? [rel] : [];
  });
}

function repositoryDocs(): Map<string, string> {
  const dir = path.join(root, 'docs');
  return new Map(
    fs
      .readdirSync(dir)
      .filter((f) => f.endsWith('.md'))
      .map((f) => [f, fs.readFileSync(path.join(dir, f), 'utf8')]),
  );
}

describe('references to documents', () => {
  const docs = repositoryDocs();
  const fake = new Map([
    ['protocol.md', '# P\n## 4. Messages\n### 4.5 States\n## 10. Open\n| item |\n| 6 | acks |\n'],
    ['decisions.md', '# D\n### 2. Heartbeats first\n'],
  ]);
  const check = (text: string): string[] => checkReferences('x.ts', text, fake).map((p) => p.problem);
  // Built from parts, so that this file's own text holds no reference for the last test to trip over.
  const S = SECTION_SIGN;
  const D = 'decision';

  it('docs/ holds the four documents the code cites', () => {
    for (const name of ['protocol.md', 'api.md', 'architecture.md', 'decisions.md'])
      assert.ok(docs.has(name), `docs/${name}`);
  });

  it('the checker accepts citations that resolve, also broken over comment lines', () => {
    assert.deepEqual(check(`// state (docs/protocol.md ${S}4.5), acks (docs/protocol.md ${S}10 item 6)`), []);
    assert.deepEqual(check(`/**\n * cadence (docs/decisions.md\n * ${D} 2)\n */`), []);
    assert.deepEqual(check(`/* docs/protocol.md ${S}4-${S}4.5 */`), []);
    assert.deepEqual(check(`see [docs/protocol.md](docs/protocol.md) ${S}10 and README.md`), []);
  });

  it('the checker names every reference that does not resolve', () => {
    assert.deepEqual(check(`// bare (${S}4.5)`), [`${S}4.5 does not name its file in docs/`]);
    assert.deepEqual(check(`// docs/protocol.md ${S}4.4`), ['docs/protocol.md has no section 4.4']);
    assert.deepEqual(check(`// docs/protocol.md ${S}10 item 7`), [`docs/protocol.md ${S}10 has no item 7`]);
    assert.deepEqual(check(`// docs/decisions.md ${D} 3`), [`docs/decisions.md has no ${D} 3`]);
    assert.deepEqual(check(`// (${D} 2)`), [`"${D} 2" does not name docs/decisions.md`]);
    const outside = 'twc-protocol' + '.md';
    assert.deepEqual(check(`// ${outside}`), [`${outside} is not a file of docs/ or of the repository root`]);
    assert.deepEqual(check('// docs/notes' + '.md ' + S + '1'), [
      'docs/notes.md is not a file of docs/ or of the repository root',
    ]);
  });

  it('every reference in src, test, bench, scripts, nodes and the root documents resolves in the repository', () => {
    const files = [...SCANNED_DIRS.flatMap(filesUnder), ...SCANNED_ROOT_FILES].filter((f) => f !== SELF);
    assert.ok(files.length > 100, `${files.length} files scanned`);
    const problems = files.flatMap((f) =>
      checkReferences(f, fs.readFileSync(path.join(root, f), 'utf8'), docs).map(
        (p) => `${p.file}: ${p.problem}`,
      ),
    );
    assert.deepEqual(problems, []);
  });
});
