import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { STATE_FOLDER } from '../../src/bus/state-file';
import type { TwcMasterNode } from '../../src/nodes/master-node';
import { load, simulatorMaster, type Msg } from '../support/helper-flows';
import { loadInLanguage } from '../support/locale-red';
import { helper, useHelperServer } from '../support/node-red';
import { waitFor } from '../support/pty';

type Spy = { getCalls(): { thisValue: unknown; args: unknown[] }[] };

/** What one node (not any node: the helper spies on the prototype) passed to one of its methods. */
function callsOf(id: string, method: 'warn' | 'log' | 'status'): unknown[] {
  const node = helper.getNode(id);
  const spy = (node as unknown as Record<string, Spy>)[method];
  return spy
    .getCalls()
    .filter((c) => c.thisValue === node)
    .map((c) => c.args[0]);
}
/** The node's own warnings (the engine's, about the bus, have no prefix). */
const warnings = (id: string): string[] =>
  callsOf(id, 'warn')
    .map(String)
    .filter((w) => w.startsWith('twc-master: '));
const lastStatus = (id: string): { fill?: string; shape?: string; text?: string } =>
  (callsOf(id, 'status').at(-1) as { fill?: string; text?: string } | undefined) ?? {};

/** Sends `msg` into node `id`; resolves with what reaches `out`, and the state file as it was then. */
function ask(id: string, msg: Msg, file: string): Promise<{ answer: Msg; onDisk: string | undefined }> {
  return new Promise((resolve) => {
    helper.getNode('out').once('input', (m: Msg) => {
      // Read when the answer leaves the command node: what an http-response would have sent by now.
      resolve({ answer: m, onDisk: fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : undefined });
    });
    helper.getNode(id).receive(msg);
  });
}

const flow = [
  simulatorMaster(),
  { id: 's1', type: 'twc-status', master: 'm1', wires: [[]] },
  { id: 'c1', type: 'twc-command', master: 'm1', wires: [['out']] },
  { id: 'out', type: 'helper' },
];

/** The bus part of a node's status, whether its simulated units have linked yet or not. */
const BUS_PART = /^(no TWC answering|[12] TWCs? · \d+ A)/;
/** The same in German. */
const BUS_PART_DE = /^(kein Wall Connector antwortet|[12] TWCs? · \d+ A)/;

const envelope = (policy: unknown): string =>
  JSON.stringify({ format: 1, savedAt: new Date().toISOString(), policy });

describe('the twc-master state file (test helper)', function () {
  this.timeout(20000);
  useHelperServer();
  let userDir: string;
  let file: string;
  // The helper's own settings object, which its runtime hands to the nodes as RED.settings; without an
  // argument settings() returns it as it is (helper.settings({...}) would replace it with a copy).
  const settings = (): Record<string, unknown> =>
    (helper.settings as unknown as () => Record<string, unknown>).call(helper);

  beforeEach(() => {
    userDir = fs.mkdtempSync(path.join(os.tmpdir(), 'twc-userdir-'));
    file = path.join(userDir, STATE_FOLDER, 'm1.json');
    settings().userDir = userDir;
  });
  afterEach(async () => {
    await helper.unload();
    delete settings().userDir;
    fs.rmSync(userDir, { recursive: true, force: true });
  });

  it('a command that changes a setting has written it by the time its answer leaves the node', async () => {
    await load(flow);
    const steps: [string, unknown, (p: Record<string, unknown>) => unknown, unknown][] = [
      ['chargeNow', { chargeNowRate: 20, chargeNowDuration: 3600 }, (p) => p.chargeNowAmps, 20],
      ['setSetting', { setting: 'sunset', value: 17 }, (p) => p.sunset, 17],
      [
        'addConsumptionOffset',
        { offsetName: 'Pool', offsetValue: 2, offsetUnit: 'A' },
        (p) => p.consumptionOffset,
        { Pool: { value: 2, unit: 'A' } },
      ],
      ['setScheduledChargingSettings', { enabled: true, amps: 16 }, (p) => p.scheduledAmpsMax, 16],
    ];
    for (const [topic, payload, pick, expected] of steps) {
      const { answer, onDisk } = await ask('c1', { topic, payload }, file);
      assert.ok(answer.statusCode! < 300, `${topic}: ${JSON.stringify(answer.payload)}`);
      assert.ok(onDisk, `${topic}: no file`);
      assert.deepEqual(pick((JSON.parse(onDisk) as { policy: Record<string, unknown> }).policy), expected);
    }
    // Readings wait for the minute; saveSettings writes them now.
    const green = await ask('c1', { topic: 'setGreenEnergy', payload: { generationW: 4321 } }, file);
    assert.equal(JSON.parse(green.onDisk!).policy.generationW, 0);
    const saved = await ask('c1', { topic: 'saveSettings' }, file);
    assert.equal(saved.answer.statusCode, 204);
    assert.equal(JSON.parse(saved.onDisk!).policy.generationW, 4321);
    assert.deepEqual(warnings('m1'), []);
    // The command node shows its bus first (its units may have linked by now, or not), then the command.
    const done = lastStatus('c1');
    assert.equal(done.text?.replace(BUS_PART, '<bus>'), '<bus> · saveSettings: done');
    assert.equal(done.fill, done.text?.startsWith('no TWC') ? 'yellow' : 'green');
  });

  it('a redeploy writes the readings first and takes everything back', async () => {
    await load(flow);
    await ask('c1', { topic: 'setSetting', payload: { setting: 'sunrise', value: 7 } }, file);
    const green = await ask(
      'c1',
      { topic: 'setGreenEnergy', payload: { generationW: 900, consumptionW: 100 } },
      file,
    );
    assert.equal(JSON.parse(green.onDisk!).policy.generationW, 0, 'readings wait for the minute');
    await helper.unload();
    await load(flow);
    const m = helper.getNode('m1') as TwcMasterNode;
    assert.deepEqual(
      [m.policy!.current.generationW, m.policy!.current.consumptionW, m.policy!.current.sunrise],
      [900, 100, 7],
    );
  });

  it('a damaged file with a good backup: the backup, said in the log and on the nodes’ status', async () => {
    fs.mkdirSync(path.dirname(file));
    fs.writeFileSync(
      `${file}.bak`,
      envelope({ chargeNowAmps: 20, chargeNowTimeEnd: Date.now() / 1000 + 3600 }),
    );
    fs.writeFileSync(file, '{"format":1,"policy":{"chargeNo');
    await load(flow);
    const m = helper.getNode('m1') as TwcMasterNode;
    assert.equal(m.policy!.current.chargeNowAmps, 20);
    const [told, ...more] = warnings('m1');
    assert.deepEqual(more, []);
    assert.match(told, /^twc-master: settings file .*m1\.json is unreadable \(it is not JSON: /);
    assert.ok(
      told.endsWith(
        `restored the last good copy from ${file}.bak; the damaged file was kept as ${file}.corrupt-1`,
      ),
    );
    assert.deepEqual(
      [lastStatus('c1').fill, lastStatus('c1').text?.replace(BUS_PART, '<bus>')],
      ['yellow', '<bus> · settings restored from backup'],
    );
    const s1 = await waitFor('the status dot', 5000, () => {
      const s = lastStatus('s1');
      return s.text?.startsWith('2 TWCs') ? s : undefined;
    });
    assert.deepEqual(
      [s1.fill, s1.shape, s1.text?.replace(/\d+ A/, 'N A')],
      ['yellow', 'ring', '2 TWCs · N A · settings restored from backup'],
    );
    // A good file again at once: the next start reads it without a word.
    assert.equal(JSON.parse(fs.readFileSync(file, 'utf8')).policy.chargeNowAmps, 20);
    await helper.unload();
    await load(flow);
    assert.deepEqual(warnings('m1'), []);
    assert.equal((helper.getNode('m1') as TwcMasterNode).stateNotice?.(), undefined);
  });

  it('a damaged file and no backup: the defaults, said so', async () => {
    fs.mkdirSync(path.dirname(file));
    fs.writeFileSync(file, Buffer.alloc(300));
    await load(flow);
    const [told] = warnings('m1');
    assert.equal(
      told,
      `twc-master: settings file ${file} is unreadable (it holds NUL bytes); started from the defaults; ` +
        `the damaged file was kept as ${file}.corrupt-1`,
    );
    assert.deepEqual(
      [lastStatus('c1').fill, lastStatus('c1').text?.replace(BUS_PART, '<bus>')],
      ['yellow', '<bus> · settings reset to defaults'],
    );
    assert.deepEqual(fs.readFileSync(`${file}.corrupt-1`), Buffer.alloc(300));
  });

  it('settings of the wrong type: the valid ones back, the others named and defaulted', async () => {
    fs.mkdirSync(path.dirname(file));
    fs.writeFileSync(file, envelope({ chargeNowAmps: 'lots', sunset: 18, nonScheduledAction: 7 }));
    await load(flow);
    const m = helper.getNode('m1') as TwcMasterNode;
    assert.deepEqual([m.policy!.current.sunset, m.policy!.current.chargeNowAmps], [18, 0]);
    assert.deepEqual(warnings('m1'), [
      `twc-master: settings in ${file} that were not valid took their defaults: chargeNowAmps, nonScheduledAction`,
    ]);
    assert.deepEqual(
      [lastStatus('c1').fill, lastStatus('c1').text?.replace(BUS_PART, '<bus>')],
      ['yellow', '<bus> · some settings reset to defaults'],
    );
  });

  it('a write error: the change holds in memory, with a warning, a yellow status and saveSettings 500', async () => {
    await load(flow);
    fs.mkdirSync(`${file}.tmp`, { recursive: true });
    const { answer } = await ask(
      'c1',
      { topic: 'setSetting', payload: { setting: 'sunset', value: 17 } },
      file,
    );
    assert.equal(answer.statusCode, 204);
    const m = helper.getNode('m1') as TwcMasterNode;
    assert.equal(m.policy!.current.sunset, 17);
    assert.equal(warnings('m1').length, 1);
    assert.match(
      warnings('m1')[0],
      /^twc-master: could not write the settings file \(EISDIR: .*m1\.json\.tmp'\); /,
    );
    assert.deepEqual(
      [lastStatus('c1').fill, lastStatus('c1').text?.replace(BUS_PART, '<bus>')],
      ['yellow', '<bus> · settings not saved (EISDIR) · setSetting: done'],
    );
    await waitFor('the status dot', 7000, () =>
      lastStatus('s1').text?.endsWith('· settings not saved (EISDIR)'),
    );
    const failed = await ask('c1', { topic: 'saveSettings' }, file);
    assert.equal(failed.answer.statusCode, 500);
    assert.match(String((failed.answer.payload as { error: string }).error), /^settings not saved: EISDIR: /);
    fs.rmdirSync(`${file}.tmp`);
    const saved = await ask('c1', { topic: 'saveSettings' }, file);
    assert.equal(saved.answer.statusCode, 204);
    assert.equal(JSON.parse(saved.onDisk!).policy.sunset, 17);
    // Saved again: the notice is gone from the dot, the bus and the command stay.
    assert.equal(lastStatus('c1').text?.replace(BUS_PART, '<bus>'), '<bus> · saveSettings: done');
  });

  it('without a user directory: in memory only, with a warning', async () => {
    delete settings().userDir;
    await load(flow);
    assert.deepEqual(warnings('m1'), [
      'twc-master: Node-RED has no user directory (settings.userDir); the settings are kept in memory only ' +
        'and are lost at a restart',
    ]);
    const { answer } = await ask(
      'c1',
      { topic: 'chargeNow', payload: { chargeNowRate: 8, chargeNowDuration: 60 } },
      file,
    );
    assert.equal(answer.statusCode, 200);
    assert.equal(fs.existsSync(path.dirname(file)), false);
  });

  describe('in German (RED._ answering from nodes/locales/de)', () => {
    const germanStatus = (id: string): [string | undefined, string | undefined] => [
      lastStatus(id).fill,
      lastStatus(id).text?.replace(BUS_PART_DE, '<bus>'),
    ];

    it('a damaged file with a good backup: the log and the dots say it in German', async () => {
      fs.mkdirSync(path.dirname(file));
      fs.writeFileSync(`${file}.bak`, envelope({ sunset: 19 }));
      fs.writeFileSync(file, Buffer.alloc(64));
      await loadInLanguage('de', flow);
      assert.equal((helper.getNode('m1') as TwcMasterNode).policy!.current.sunset, 19);
      assert.deepEqual(warnings('m1'), [
        `twc-master: Einstellungsdatei ${file} ist unlesbar (sie enthält Nullbytes); ` +
          `letzte gute Fassung aus ${file}.bak wiederhergestellt; ` +
          `die beschädigte Datei wurde als ${file}.corrupt-1 aufgehoben`,
      ]);
      assert.deepEqual(germanStatus('c1'), [
        'yellow',
        '<bus> · Einstellungen aus der Sicherung wiederhergestellt',
      ]);
      const s1 = await waitFor('the status dot', 5000, () => {
        const s = lastStatus('s1');
        return s.text?.startsWith('2 TWCs') ? s : undefined;
      });
      assert.equal(
        s1.text?.replace(/\d+ A/, 'N A'),
        '2 TWCs · N A · Einstellungen aus der Sicherung wiederhergestellt',
      );
    });

    it('a file and its backup damaged: both reasons, the kind of JSON, and the defaults, in German', async () => {
      fs.mkdirSync(path.dirname(file));
      fs.writeFileSync(file, JSON.stringify({ format: 1, policy: [20] }));
      fs.writeFileSync(`${file}.bak`, '"sunset"');
      await loadInLanguage('de', flow);
      assert.deepEqual(warnings('m1'), [
        `twc-master: Einstellungsdatei ${file} ist unlesbar (ihr Eintrag policy ist ein Array statt eines Objekts); ` +
          `ihre Sicherung ${file}.bak ist ebenfalls unlesbar (sie enthält eine Zeichenkette statt eines Objekts); ` +
          'gestartet mit den Voreinstellungen; ' +
          `die beschädigte Datei wurde als ${file}.corrupt-1 aufgehoben; ` +
          `die beschädigte Datei wurde als ${file}.bak.corrupt-1 aufgehoben`,
      ]);
      assert.deepEqual(germanStatus('c1'), [
        'yellow',
        '<bus> · Einstellungen auf Voreinstellungen zurückgesetzt',
      ]);
    });

    it('settings of the wrong type, named in German', async () => {
      fs.mkdirSync(path.dirname(file));
      fs.writeFileSync(file, envelope({ chargeNowAmps: 'lots', sunset: 18 }));
      await loadInLanguage('de', flow);
      assert.deepEqual(warnings('m1'), [
        `twc-master: Ungültige Einstellungen aus ${file} wurden auf ihre Voreinstellung zurückgesetzt: chargeNowAmps`,
      ]);
      assert.deepEqual(germanStatus('c1'), [
        'yellow',
        '<bus> · einige Einstellungen auf Voreinstellung zurückgesetzt',
      ]);
    });

    it('a write error: the warning and the dots in German', async () => {
      await loadInLanguage('de', flow);
      fs.mkdirSync(`${file}.tmp`, { recursive: true });
      const { answer } = await ask(
        'c1',
        { topic: 'setSetting', payload: { setting: 'sunset', value: 17 } },
        file,
      );
      assert.equal(answer.statusCode, 204);
      assert.equal(warnings('m1').length, 1);
      assert.match(
        warnings('m1')[0],
        /^twc-master: Die Einstellungsdatei ließ sich nicht schreiben \(EISDIR: .*m1\.json\.tmp'\)\. Die Einstellungen bleiben im Arbeitsspeicher; /,
      );
      assert.deepEqual(germanStatus('c1'), [
        'yellow',
        '<bus> · Einstellungen nicht gespeichert (EISDIR) · setSetting: erledigt',
      ]);
      await waitFor('the status dot', 7000, () =>
        lastStatus('s1').text?.endsWith('· Einstellungen nicht gespeichert (EISDIR)'),
      );
      // The API's own answer keeps its English wording.
      const failed = await ask('c1', { topic: 'saveSettings' }, file);
      assert.match(
        String((failed.answer.payload as { error: string }).error),
        /^settings not saved: EISDIR: /,
      );
      fs.rmdirSync(`${file}.tmp`);
    });

    it('without a user directory: the warning in German', async () => {
      delete settings().userDir;
      await loadInLanguage('de', flow);
      assert.deepEqual(warnings('m1'), [
        'twc-master: Node-RED hat kein Benutzerverzeichnis (settings.userDir). Die Einstellungen liegen nur ' +
          'im Arbeitsspeicher und gehen bei einem Neustart verloren.',
      ]);
    });
  });
});
