import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ROOT } from '../support/node-red-process';

/**
 * Node-RED loads every node file before it starts any flow, so what they load at the top is paid on every
 * start, hardware or not (BENCHMARKS.md "Start-up"). These packages are loaded when first used instead.
 */
const LOADED_ON_USE = ['serialport', '@serialport/bindings-cpp', 'bcryptjs'];

describe('what loading the node files costs Node-RED’s start', () => {
  it('the node files load without serialport and bcryptjs, which load when a serial bus or a password needs them', () => {
    const nodes = Object.values(
      (
        JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
          'node-red': { nodes: object };
        }
      )['node-red'].nodes,
    ) as string[];
    const script = `
      for (const f of ${JSON.stringify(nodes.map((f) => path.join(ROOT, f)))}) require(f);
      const loaded = (name) => Object.keys(require.cache).some((k) => k.includes('/node_modules/' + name + '/'));
      const names = ${JSON.stringify(LOADED_ON_USE)};
      const before = names.filter(loaded);
      require(${JSON.stringify(path.join(ROOT, 'dist', 'transport', 'serialport.js'))}).serialPortClass();
      console.log(JSON.stringify({ before, after: names.filter(loaded) }));`;
    const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const { before, after } = JSON.parse(r.stdout) as { before: string[]; after: string[] };
    assert.deepEqual(before, []);
    // The check can see them: asking for the serial port class loads serialport and its binding.
    assert.deepEqual(after, ['serialport', '@serialport/bindings-cpp']);
  });
});
