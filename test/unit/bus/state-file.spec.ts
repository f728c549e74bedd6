import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import fc from 'fast-check';
import { KEPT_DAMAGED, STATE_FORMAT, StateFile, type LoadedState } from '../../../src/bus/state-file';
import { english, say } from '../../../src/nodes/i18n';

const GOOD = { policy: { chargeNowAmps: 20, sunset: 18 }, history: { slots: [[0, 1200]], open: undefined } };
const OLDER = { policy: { chargeNowAmps: 8 }, history: { slots: [] } };
/** What JSON keeps of a state: an `undefined` field is left out. */
const asJson = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

/** The notice as the node locale's English says it, from its parts' codes and values. */
const inEnglish = (loaded: LoadedState): string | undefined =>
  loaded.noticeParts?.map((p) => say(english, p)).join('; ');

let dirs: string[] = [];
function tempDir(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'twc-state-'));
  dirs.push(d);
  return d;
}
afterEach(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  dirs = [];
});

/** A state file `m1` in a fresh folder, with its good copy written once. */
function written(...states: object[]): StateFile {
  const f = new StateFile(tempDir(), 'm1');
  for (const s of states) f.write(s);
  return f;
}

const envelope = (fields: Record<string, unknown>): string =>
  JSON.stringify({ format: STATE_FORMAT, savedAt: '2026-11-24T01:10:00.000Z', ...fields });

/** Each kind of damage, as it lands where the file should be. */
const DAMAGE: [string, (file: string) => void, RegExp][] = [
  [
    'truncated JSON',
    (f) => fs.writeFileSync(f, envelope(GOOD).slice(0, 30)),
    /unreadable \(it is not JSON: /,
  ],
  ['garbage', (f) => fs.writeFileSync(f, 'hello }{ not json at all'), /unreadable \(it is not JSON: /],
  ['NUL bytes', (f) => fs.writeFileSync(f, Buffer.alloc(512)), /unreadable \(it holds NUL bytes\)/],
  [
    'NUL bytes after good text',
    (f) => fs.writeFileSync(f, Buffer.concat([Buffer.from(envelope(GOOD)), Buffer.alloc(64)])),
    /unreadable \(it holds NUL bytes\)/,
  ],
  ['an empty file', (f) => fs.writeFileSync(f, ''), /unreadable \(it is empty\)/],
  [
    'a directory',
    (f) => {
      fs.mkdirSync(f);
      fs.writeFileSync(path.join(f, 'inside'), 'x');
    },
    /unreadable \(it is a directory\)/,
  ],
  [
    'policy as a string',
    (f) => fs.writeFileSync(f, envelope({ policy: 'chargeNowAmps=20' })),
    /unreadable \(its policy is a string, not an object\)/,
  ],
  [
    'policy as an array',
    (f) => fs.writeFileSync(f, envelope({ policy: [20, 18] })),
    /unreadable \(its policy is an array, not an object\)/,
  ],
  [
    'history as a number',
    (f) => fs.writeFileSync(f, envelope({ history: 5 })),
    /unreadable \(its history is a number, not an object\)/,
  ],
  [
    'policy as null',
    (f) => fs.writeFileSync(f, envelope({ policy: null })),
    /unreadable \(its policy is null, not an object\)/,
  ],
  ['an array', (f) => fs.writeFileSync(f, '[1,2,3]'), /unreadable \(it holds an array, not an object\)/],
  ['a bare number', (f) => fs.writeFileSync(f, '42'), /unreadable \(it holds a number, not an object\)/],
  [
    'another format',
    (f) => fs.writeFileSync(f, JSON.stringify({ format: 2, policy: GOOD.policy })),
    /unreadable \(its format is 2, not 1\)/,
  ],
  [
    'no format',
    (f) => fs.writeFileSync(f, JSON.stringify({ policy: GOOD.policy })),
    /unreadable \(its format is missing, not 1\)/,
  ],
  [
    'a bare string',
    (f) => fs.writeFileSync(f, '"policy"'),
    /unreadable \(it holds a string, not an object\)/,
  ],
  ['a bare boolean', (f) => fs.writeFileSync(f, 'true'), /unreadable \(it holds a boolean, not an object\)/],
  [
    'larger than any real state',
    (f) => fs.writeFileSync(f, Buffer.alloc(4 * 1024 * 1024 + 1, 0x20)),
    /unreadable \(it is larger than 4194304 bytes\)/,
  ],
];

/** The bytes of a file, or the listing of a folder: what "kept aside unchanged" compares. */
function contentOf(p: string): string {
  return fs.statSync(p).isDirectory() ? `dir:${fs.readdirSync(p).join(',')}` : fs.readFileSync(p, 'hex');
}

describe('StateFile (the twc-master state file)', () => {
  it('reads back what it wrote, in a small envelope, and keeps the previous copy as .bak', () => {
    const f = written(OLDER);
    assert.equal(fs.existsSync(f.backup), false, 'no backup of nothing');
    f.write(GOOD);
    const onDisk = JSON.parse(fs.readFileSync(f.path, 'utf8')) as Record<string, unknown>;
    assert.deepEqual(Object.keys(onDisk), ['format', 'savedAt', 'policy', 'history']);
    assert.equal(onDisk.format, 1);
    assert.ok(Math.abs(Date.parse(String(onDisk.savedAt)) - Date.now()) < 60_000, String(onDisk.savedAt));
    assert.deepEqual(asJson(JSON.parse(fs.readFileSync(f.backup, 'utf8')).policy), OLDER.policy);
    assert.deepEqual(new StateFile(f.dir, 'm1').load(), { state: asJson(GOOD), source: 'file' });
    assert.equal(fs.existsSync(`${f.path}.tmp`), false, 'no scratch file left');
  });

  it('with nothing saved yet: nothing to say, and nothing created', () => {
    const dir = path.join(tempDir(), 'twcmanager');
    assert.deepEqual(new StateFile(dir, 'm1').load(), { state: {}, source: 'none' });
    assert.equal(fs.existsSync(dir), false);
  });

  it('one file per twc-master, named by its ID, any ID kept to one file name in the folder', () => {
    const dir = tempDir();
    const a = new StateFile(dir, 'a1b2c3d4.e5f6');
    const b = new StateFile(dir, '../x/y:z');
    a.write(GOOD);
    b.write(OLDER);
    assert.equal(a.path, path.join(dir, 'a1b2c3d4.e5f6.json'));
    assert.equal(b.path, path.join(dir, '.._x_y_z.json'));
    assert.deepEqual(fs.readdirSync(dir).sort(), ['.._x_y_z.json', 'a1b2c3d4.e5f6.json']);
    assert.deepEqual(new StateFile(dir, '../x/y:z').load().state, asJson(OLDER));
  });

  for (const [kind, damage, reason] of DAMAGE) {
    it(`${kind}: the defaults, said so, and the damaged file kept aside unchanged`, () => {
      const f = new StateFile(tempDir(), 'm1');
      damage(f.path);
      const before = contentOf(f.path);
      const loaded = new StateFile(f.dir, 'm1').load();
      assert.equal(loaded.source, 'defaults');
      assert.deepEqual(loaded.state, {});
      const aside = `${f.path}.corrupt-1`;
      assert.match(loaded.notice ?? '', reason);
      assert.equal(inEnglish(loaded), loaded.notice, 'the node locale words it as the file does');
      assert.equal(
        loaded.notice?.replace(/ \(.*\); started/, ' (…); started'),
        `settings file ${f.path} is unreadable (…); started from the defaults; ` +
          `the damaged file was kept as ${aside}`,
      );
      assert.equal(contentOf(aside), before, 'kept as it was');
      assert.equal(fs.existsSync(f.path), false);
      // The next write finds the place free and the start after it reads the file again.
      const next = new StateFile(f.dir, 'm1');
      next.write(GOOD);
      assert.deepEqual(new StateFile(f.dir, 'm1').load(), { state: asJson(GOOD), source: 'file' });
    });

    it(`${kind}, with a good .bak: the last good copy, said so`, () => {
      const f = written(OLDER, GOOD);
      fs.rmSync(f.path);
      damage(f.path);
      const loaded = new StateFile(f.dir, 'm1').load();
      assert.equal(loaded.source, 'backup');
      assert.deepEqual(loaded.state, asJson(OLDER));
      assert.match(loaded.notice ?? '', reason);
      assert.equal(inEnglish(loaded), loaded.notice, 'the node locale words it as the file does');
      assert.match(
        loaded.notice ?? '',
        new RegExp(
          `; restored the last good copy from ${f.backup.replace(/[.]/g, '\\.')}; ` +
            `the damaged file was kept as ${f.path.replace(/[.]/g, '\\.')}\\.corrupt-1$`,
        ),
      );
    });
  }

  it('the backup damaged too: the defaults, and both damaged files kept aside', () => {
    const f = written(OLDER, GOOD);
    fs.writeFileSync(f.path, 'garbage');
    fs.writeFileSync(f.backup, Buffer.alloc(16));
    const loaded = new StateFile(f.dir, 'm1').load();
    assert.equal(loaded.source, 'defaults');
    assert.equal(
      loaded.notice,
      `settings file ${f.path} is unreadable (it is not JSON: ${jsonError('garbage')}); ` +
        `its backup ${f.backup} is unreadable too (it holds NUL bytes); started from the defaults; ` +
        `the damaged file was kept as ${f.path}.corrupt-1; the damaged file was kept as ${f.backup}.corrupt-1`,
    );
    assert.equal(inEnglish(loaded), loaded.notice);
    assert.equal(fs.readFileSync(`${f.path}.corrupt-1`, 'utf8'), 'garbage');
    assert.deepEqual(fs.readFileSync(`${f.backup}.corrupt-1`), Buffer.alloc(16));
  });

  describe('a power cut in the middle of a write', () => {
    it('a half-written .tmp beside a good file: the good file, and the next write goes through', () => {
      const f = written(GOOD);
      fs.writeFileSync(`${f.path}.tmp`, envelope(OLDER).slice(0, 17));
      const again = new StateFile(f.dir, 'm1');
      assert.deepEqual(again.load(), { state: asJson(GOOD), source: 'file' });
      again.write(OLDER);
      assert.deepEqual(new StateFile(f.dir, 'm1').load().state, asJson(OLDER));
      assert.deepEqual(JSON.parse(fs.readFileSync(f.backup, 'utf8')).policy, GOOD.policy);
    });

    it('the file already moved to .bak, the new one not yet in place: the .bak, said so', () => {
      const f = written(OLDER, GOOD);
      // The state between the two renames: the written .tmp is complete, the file is gone.
      fs.renameSync(f.path, `${f.path}.tmp`);
      const { noticeParts, ...loaded } = new StateFile(f.dir, 'm1').load();
      assert.deepEqual(
        noticeParts?.map((p) => p.code),
        ['stateFile.missing', 'stateFile.restoredBackup'],
      );
      assert.deepEqual(loaded, {
        state: asJson(OLDER),
        source: 'backup',
        notice: `settings file ${f.path} is missing; restored the last good copy from ${f.backup}`,
      });
      assert.deepEqual(
        fs.readdirSync(f.dir).sort(),
        ['m1.json.bak', 'm1.json.tmp'],
        'nothing was damaged, so nothing kept aside',
      );
    });

    it('the file missing and the backup damaged: the defaults, the backup kept aside', () => {
      const f = written(OLDER, GOOD);
      fs.rmSync(f.path);
      fs.writeFileSync(f.backup, '{"format":1,"pol');
      const loaded = new StateFile(f.dir, 'm1').load();
      assert.equal(loaded.source, 'defaults');
      assert.match(
        loaded.notice ?? '',
        new RegExp(`^settings file .* is missing; its backup .* is unreadable too \\(it is not JSON: `),
      );
      assert.ok(loaded.notice?.endsWith(`; the damaged file was kept as ${f.backup}.corrupt-1`));
    });
  });

  it('after a damaged file, the next write never turns it into the backup: the good .bak stays', () => {
    const f = written(OLDER, GOOD);
    fs.writeFileSync(f.path, 'garbage');
    const again = new StateFile(f.dir, 'm1');
    assert.equal(again.load().source, 'backup');
    again.write({ policy: { sunset: 17 } });
    assert.deepEqual(JSON.parse(fs.readFileSync(f.backup, 'utf8')).policy, OLDER.policy);
    again.write({ policy: { sunset: 16 } });
    assert.deepEqual(JSON.parse(fs.readFileSync(f.backup, 'utf8')).policy, { sunset: 17 });
  });

  it(`keeps the newest ${KEPT_DAMAGED} damaged copies, numbered, and removes older ones`, () => {
    const f = new StateFile(tempDir(), 'm1');
    for (let i = 1; i <= KEPT_DAMAGED + 2; i++) {
      fs.writeFileSync(f.path, `damage ${i}`);
      assert.ok(new StateFile(f.dir, 'm1').load().notice?.endsWith(`kept as ${f.path}.corrupt-${i}`));
    }
    const kept = fs.readdirSync(f.dir).sort();
    assert.deepEqual(kept, ['m1.json.corrupt-3', 'm1.json.corrupt-4', 'm1.json.corrupt-5']);
    assert.equal(fs.readFileSync(`${f.path}.corrupt-5`, 'utf8'), `damage ${KEPT_DAMAGED + 2}`);
  });

  it('a write that fails leaves the file and its backup as they were', () => {
    const f = written(OLDER, GOOD);
    // As root nothing is read-only; a folder where the scratch file goes fails the same way as a full disk.
    fs.mkdirSync(`${f.path}.tmp`);
    assert.throws(() => f.write({ policy: { sunset: 1 } }), { code: 'EISDIR' });
    fs.rmdirSync(`${f.path}.tmp`);
    assert.deepEqual(new StateFile(f.dir, 'm1').load().state, asJson(GOOD));
    assert.deepEqual(JSON.parse(fs.readFileSync(f.backup, 'utf8')).policy, OLDER.policy);
  });

  it('a folder it cannot create is a write error, not a crash at load', () => {
    const parent = tempDir();
    fs.writeFileSync(path.join(parent, 'twcmanager'), 'a file where the folder goes');
    const f = new StateFile(path.join(parent, 'twcmanager'), 'm1');
    const loaded = f.load();
    assert.equal(loaded.source, 'defaults');
    assert.match(loaded.notice ?? '', /unreadable \(ENOTDIR: /);
    assert.equal(inEnglish(loaded), loaded.notice);
    assert.throws(() => f.write(GOOD), { code: 'EEXIST' });
  });

  it('property: any state written is read back equal, and the one before it is the backup', () => {
    const json = fc.jsonValue().map((v) => asJson(v));
    const part = fc.option(fc.dictionary(fc.string(), json), { nil: undefined });
    const state = fc.record({ policy: part, history: part }, { requiredKeys: [] });
    const dir = tempDir();
    let n = 0;
    fc.assert(
      fc.property(fc.array(state, { minLength: 1, maxLength: 4 }), (states) => {
        const id = `m${n++}`;
        const f = new StateFile(dir, id);
        for (const s of states) f.write(s);
        const last = states[states.length - 1];
        const loaded = new StateFile(dir, id).load();
        assert.deepEqual(loaded.source, 'file');
        assert.deepEqual(loaded.state, asJson({ policy: last.policy, history: last.history }));
        if (states.length > 1) {
          const before = states[states.length - 2];
          fs.rmSync(f.path);
          const back = new StateFile(dir, id).load();
          assert.equal(back.source, 'backup');
          assert.deepEqual(back.state, asJson({ policy: before.policy, history: before.history }));
        }
      }),
      { numRuns: 60 },
    );
  });
});

function jsonError(text: string): string {
  try {
    JSON.parse(text);
  } catch (err) {
    return (err as Error).message;
  }
  return '';
}
