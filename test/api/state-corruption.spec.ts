import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { apiUp, getJson } from '../support/api-process';
import { freePort, startNodeRed, type NodeRedProcess } from '../support/node-red-process';
import { STATE_FOLDER } from '../../src/bus/state-file';
import { API_MASTER_ID, apiFlow } from './example-flow';

const envelope = (fields: Record<string, unknown>): string =>
  JSON.stringify({ format: 1, savedAt: '2026-11-24T01:10:00.000Z', ...fields });

/** Each damage the acceptance names, as it is left where a twc-master's state file should be. */
const DAMAGE: { name: string; make: (file: string) => void; reason: string }[] = [
  {
    name: 'truncated',
    make: (f) => fs.writeFileSync(f, envelope({ policy: { sunset: 18 } }).slice(0, 25)),
    reason: 'it is not JSON: ',
  },
  { name: 'garbage', make: (f) => fs.writeFileSync(f, '\u00ff\u00fe<html>oops'), reason: 'it is not JSON: ' },
  { name: 'nul-bytes', make: (f) => fs.writeFileSync(f, Buffer.alloc(4096)), reason: 'it holds NUL bytes' },
  { name: 'a-directory', make: (f) => fs.mkdirSync(f), reason: 'it is a directory' },
  {
    name: 'policy-a-string',
    make: (f) => fs.writeFileSync(f, envelope({ policy: 'sunset=18' })),
    reason: 'its policy is a string, not an object',
  },
  {
    name: 'policy-an-array',
    make: (f) => fs.writeFileSync(f, envelope({ policy: [18] })),
    reason: 'its policy is an array, not an object',
  },
];

/** A twc-master of its own on the simulator, for one damaged file. */
const damagedMaster = (name: string): Record<string, unknown> => ({
  id: `damaged-${name}`,
  type: 'twc-master',
  name,
  transport: 'simulator',
  simulatedSlaves: '4142:32:0',
  wiringMaxAmpsAllTWCs: 32,
  wiringMaxAmpsPerTWC: 32,
  minAmpsPerTWC: 12,
});

describe('damaged state files never stop a real node-red process; the twc-master says what it did', function () {
  this.timeout(120000);
  let red: NodeRedProcess | undefined;
  after(async () => {
    await red?.stop();
  });

  it('starts, answers, and names each file, the damage, and what it took instead', async () => {
    const userDir = fs.mkdtempSync(path.join(os.tmpdir(), 'twc-nodered-'));
    const folder = path.join(userDir, STATE_FOLDER);
    fs.mkdirSync(folder);
    const fileOf = (id: string): string => path.join(folder, `${id}.json`);
    for (const d of DAMAGE) d.make(fileOf(`damaged-${d.name}`));
    // A sound file with settings of the wrong type inside: those take their defaults, the rest comes back.
    const mistyped = fileOf('damaged-mistyped');
    fs.writeFileSync(mistyped, envelope({ policy: { chargeNowAmps: '20', sunset: 18, sunrise: [6] } }));
    // The API's own bus: a garbage file beside a good backup.
    const apiFile = fileOf(API_MASTER_ID);
    const end = Math.round(Date.now() / 1000) + 3600;
    fs.writeFileSync(`${apiFile}.bak`, envelope({ policy: { chargeNowAmps: 16, chargeNowTimeEnd: end } }));
    fs.writeFileSync(apiFile, 'Zm9vYmFy');
    const listenPort = await freePort();
    const flow = [
      ...apiFlow({ listenPort, listenHost: '127.0.0.1' }),
      ...[...DAMAGE.map((d) => d.name), 'mistyped'].map(damagedMaster),
    ];

    red = await startNodeRed(flow, { userDir });
    await apiUp(red.url);
    const st = (await getJson(red.url, '/api/getStatus')) as Record<string, unknown>;
    assert.deepEqual([st.currentPolicy, st.chargeNowAmps, st.chargeNowTimeEnd], ['Charge Now', 16, end]);

    const log = red.proc.stdout() + red.proc.stderr();
    /** What the twc-master named `who` logged about its settings file (the log's time stamp left out). */
    const said = (who: string): string[] =>
      log
        .split('\n')
        .filter((line) => line.includes(`[warn] [twc-master:${who}] twc-master: settings file`))
        .map((line) => line.slice(line.indexOf('settings file')));
    assert.deepEqual(said('TWC bus'), [
      `settings file ${apiFile} is unreadable (it is not JSON: ${jsonError('Zm9vYmFy')}); ` +
        `restored the last good copy from ${apiFile}.bak; the damaged file was kept as ${apiFile}.corrupt-1`,
    ]);
    for (const d of DAMAGE) {
      const file = fileOf(`damaged-${d.name}`);
      const lines = said(d.name);
      assert.equal(lines.length, 1, `${d.name}: ${log}`);
      assert.ok(lines[0].startsWith(`settings file ${file} is unreadable (${d.reason}`), lines[0]);
      assert.ok(
        lines[0].endsWith(`; started from the defaults; the damaged file was kept as ${file}.corrupt-1`),
        lines[0],
      );
      assert.ok(fs.existsSync(`${file}.corrupt-1`), `${d.name} kept aside`);
      // A good file in its place at once, so that the next start is quiet.
      assert.equal(JSON.parse(fs.readFileSync(file, 'utf8')).format, 1, `${d.name} written again`);
    }
    const mistypedLines = log.split('\n').filter((line) => line.includes('[warn] [twc-master:mistyped]'));
    assert.equal(mistypedLines.length, 1, log);
    assert.ok(
      mistypedLines[0].endsWith(
        `twc-master: settings in ${mistyped} that were not valid took their defaults: chargeNowAmps, sunrise`,
      ),
      mistypedLines[0],
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
