import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { StateKeeper } from '../../../src/bus/state-keeper';
import { told, type Told } from '../../../src/bus/told';
import { ManualClock } from '../../../src/clock';
import { ChargeHistory } from '../../../src/history/charge-history';
import { DEFAULT_POLICY_SETTINGS } from '../../../src/policy/settings';
import { english, say } from '../../../src/nodes/i18n';
import { gateNotInstalled } from '../../../src/nodes/port-gate';
import { stateTexts } from '../../../src/nodes/state-store';

const SRC = path.join(__dirname, '..', '..', '..', '..', 'src');

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    return e.isDirectory() ? sourceFiles(full) : e.name.endsWith('.ts') ? [full] : [];
  });
}

/** Every `told('code', 'English' + '…')` in src: its code and its English, the pieces joined. */
function toldInSource(): { file: string; code: string; text: string }[] {
  const literal = String.raw`'(?:[^'\\]|\\.)*'`;
  const call = new RegExp(String.raw`told\(\s*'([\w.]+)',\s*(${literal}(?:\s*\+\s*${literal})*)`, 'g');
  return sourceFiles(SRC).flatMap((file) => {
    const text = fs.readFileSync(file, 'utf8');
    const calls = [...text.matchAll(call)].map((m) => ({
      file: path.relative(SRC, file),
      code: m[1],
      text: [...m[2].matchAll(new RegExp(literal, 'g'))].map((l) => l[0].slice(1, -1)).join(''),
    }));
    // A call this scan cannot read (a code or an English not written as literals) would go unchecked.
    const all = text.match(/\btold\(\s*'/g)?.length ?? 0;
    assert.equal(calls.length, all, `every told('…') call in ${file} is read`);
    return calls;
  });
}

describe('the state texts: a code and values, and the node locale words them as the code does', () => {
  it('every told() in src has its English, unfilled, in the English catalog, as written there', () => {
    const found = toldInSource();
    const codes = found.map((f) => f.code);
    for (const expected of [
      'state.noUserDir',
      'stateFile.couldNotRead',
      'damage.notJson',
      'log.gateNotInstalled',
    ])
      assert.ok(codes.includes(expected), expected);
    for (const { file, code, text } of found) assert.equal(english(code), text, `${code} (${file})`);
  });

  it('each builder of the twc-master: its values, and the catalog filled with them is its message', () => {
    const cases: [Told, Record<string, unknown>, string][] = [
      [
        stateTexts.noUserDir(),
        {},
        'twc-master: Node-RED has no user directory (settings.userDir); the settings are kept in memory only ' +
          'and are lost at a restart',
      ],
      [
        stateTexts.contextReadFailed('EIO'),
        { detail: 'EIO' },
        'twc-master: could not read the settings kept in the node context: EIO',
      ],
      [
        stateTexts.contextClearFailed('EIO'),
        { detail: 'EIO' },
        'twc-master: could not clear the old settings in the node context: EIO',
      ],
      [
        stateTexts.movedFromContext('/u/twcmanager/m1.json'),
        { file: '/u/twcmanager/m1.json' },
        'twc-master: settings moved from the node context to /u/twcmanager/m1.json',
      ],
      [
        stateTexts.settingsReset('/u/m1.json', ['sunset', 'sunrise']),
        { from: '/u/m1.json', names: 'sunset, sunrise' },
        'twc-master: settings in /u/m1.json that were not valid took their defaults: sunset, sunrise',
      ],
      [
        stateTexts.settingsReset(stateTexts.fromContext(), ['sunset']),
        { from: stateTexts.fromContext(), names: 'sunset' },
        'twc-master: settings in the node context that were not valid took their defaults: sunset',
      ],
      [stateTexts.fileNotice('it is empty'), { notice: 'it is empty' }, 'twc-master: it is empty'],
      [stateTexts.restoredFromBackup(), {}, 'settings restored from backup'],
      [stateTexts.resetToDefaults(), {}, 'settings reset to defaults'],
      [stateTexts.someReset(), {}, 'some settings reset to defaults'],
      [
        gateNotInstalled(),
        {},
        'twc-master: cannot guard the API routes on Node-RED’s port (its Express app is not as expected); ' +
          'their body limit and cross-site check hold on the dedicated API port only',
      ],
    ];
    for (const [text, values, message] of cases) {
      assert.deepEqual(text.values, values, text.code);
      assert.equal(text.message, message, text.code);
      assert.equal(say(english, text), message, text.code);
    }
  });

  it('the keeper: the failed write and the status, with the reason and the error code as values', () => {
    const warned: Told[] = [];
    let failure: Error = Object.assign(new Error('ENOSPC: no space left on device, write'), {
      code: 'ENOSPC',
    });
    const keeper = new StateKeeper({
      clock: new ManualClock(),
      current: () => ({ policy: DEFAULT_POLICY_SETTINGS, history: new ChargeHistory().toJSON() }),
      write: () => {
        throw failure;
      },
      warn: (t) => warned.push(t),
    });
    keeper.save();
    const problem = keeper.problem();
    assert.ok(problem);
    assert.deepEqual([problem.code, problem.values], ['state.notSaved', { code: 'ENOSPC' }]);
    assert.equal(say(english, problem), 'settings not saved (ENOSPC)');
    assert.equal(warned.length, 1);
    assert.deepEqual(warned[0].values, { detail: 'ENOSPC: no space left on device, write' });
    assert.equal(
      say(english, warned[0]),
      'twc-master: could not write the settings file (ENOSPC: no space left on device, write); ' +
        'the settings are kept in memory and written again within a minute',
    );
    assert.equal(say(english, warned[0]), warned[0].message);
    // An error without a code (not the file system's): the status still says that it was not saved.
    failure = new Error('the disk is gone');
    keeper.save();
    assert.equal(keeper.problem()?.message, 'settings not saved (write error)');
    assert.equal(say(english, keeper.problem()!), 'settings not saved (write error)');
  });

  it('told(): a nested reason is said in the same language; an unknown name stays as written', () => {
    const reason = told('damage.empty', 'it is empty');
    const outer = told('stateFile.unreadable', 'settings file __file__ is unreadable (__reason__)', {
      file: 'f.json',
      reason,
    });
    assert.equal(outer.message, 'settings file f.json is unreadable (it is empty)');
    const marked: typeof english = (key, values = {}) => `[${key} ${JSON.stringify(values)}]`;
    assert.equal(say(marked, outer), '[stateFile.unreadable {"file":"f.json","reason":"[damage.empty {}]"}]');
    assert.equal(told('x', 'a __b__ c').message, 'a __b__ c');
  });
});
