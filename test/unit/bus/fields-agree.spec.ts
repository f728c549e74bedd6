import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vm from 'node:vm';
import { NODE_FIELDS, parseMasterSettings, type MasterNodeProps } from '../../../src/bus/settings';
import { ConfigError, DEFAULT_MASTER_CONFIG, resolveMasterConfig } from '../../../src/master/config';

// A refusal is the reason (a text), so only `true` means accepted.
type Validate = (this: Record<string, unknown>, v: unknown, opt?: object) => true | string;
interface EditorDefault {
  value: unknown;
  validate?: Validate;
}

/**
 * Runs the twc-master dialog's script as the editor does, with RED.settings holding what the runtime
 * exports (the table through JSON, as Node-RED sends it), and returns the defaults it registers.
 */
function editorDefaults(): Record<string, EditorDefault> {
  const html = fs.readFileSync(path.join(__dirname, '../../../../nodes/twc-master.html'), 'utf8');
  const script = /<script type="text\/javascript">([\s\S]*?)<\/script>/.exec(html)![1];
  let registered: { defaults: Record<string, EditorDefault> } | undefined;
  const RED = {
    settings: { twcMasterFields: JSON.parse(JSON.stringify(NODE_FIELDS)) as unknown },
    nodes: { registerType: (_type: string, def: typeof registered) => (registered = def) },
    validators: { regex: (re: RegExp) => (v: unknown) => re.test(String(v)) },
    _: (key: string) => key,
  };
  // No dialog is open: validators read the node's own properties, as for a node on the canvas.
  const $ = () => ({ length: 0 });
  vm.runInNewContext(script, { RED, $, console });
  assert.ok(registered, 'the script registers twc-master');
  return registered.defaults;
}

const base: MasterNodeProps = {
  serialPort: '/dev/ttyUSB0',
  wiringMaxAmpsAllTWCs: 80,
  wiringMaxAmpsPerTWC: 80,
  // The lowest minimum, so that every per-unit wiring in range is valid beside it.
  minAmpsPerTWC: 5,
};

/** Whether the parser takes `value` for `name` (a refusal of the minimum beside it does not count). */
function parserAccepts(name: string, value: number): boolean {
  try {
    parseMasterSettings({ ...base, [name]: value });
    return true;
  } catch (err) {
    return !(err as Error).message.startsWith(`${name} must be`);
  }
}

const engineFields = ['wiringMaxAmpsAllTWCs', 'wiringMaxAmpsPerTWC', 'minAmpsPerTWC'] as const;

function engineAccepts(name: (typeof engineFields)[number], value: number): boolean {
  try {
    resolveMasterConfig({
      wiringMaxAmpsAllTWCs: 655,
      wiringMaxAmpsPerTWC: 80,
      minAmpsPerTWC: 5,
      [name]: value,
    });
    return true;
  } catch (err) {
    assert.ok(err instanceof ConfigError);
    return !err.message.startsWith(`${name} must be`);
  }
}

describe('the editor, the node and the engine accept the same numbers', () => {
  const defaults = editorDefaults();

  for (const [name, field] of Object.entries(NODE_FIELDS)) {
    it(`${name}: the same range and default in the dialog, the parser${engineFields.includes(name as never) ? ' and the engine' : ''}`, () => {
      const validate = defaults[name].validate!;
      const node = { ...base, wiringMaxAmpsPerTWC: 80 };
      const probes = [field.min - 1, field.min, field.min + 0.5, field.max, field.max + 1, -1, 0];
      for (const v of probes) {
        const editor = validate.call(node, v, {}) === true;
        assert.equal(editor, parserAccepts(name, v), `${name} = ${v}: dialog says ${editor}`);
        if (engineFields.includes(name as never))
          assert.equal(engineAccepts(name as never, v), editor, `${name} = ${v}: the engine`);
      }
      const fallback = (field as { default?: number }).default;
      assert.equal(defaults[name].value, name.startsWith('wiring') ? '' : fallback, 'the dialog default');
      if (fallback !== undefined) {
        const parsed = parseMasterSettings({ ...base, [name]: undefined }) as unknown as Record<
          string,
          unknown
        >;
        assert.equal(parsed[name], fallback, 'the parser fills the same default');
      }
    });
  }

  it('one default of the minimum: the engine, the parser and the dialog', () => {
    assert.equal(DEFAULT_MASTER_CONFIG.minAmpsPerTWC, 12);
    assert.equal(defaults.minAmpsPerTWC.value, DEFAULT_MASTER_CONFIG.minAmpsPerTWC);
    assert.equal(parseMasterSettings({ ...base, minAmpsPerTWC: undefined }).minAmpsPerTWC, 12);
  });

  it('the dialog refuses a minimum above the per-unit wiring, as the parser and the engine do', () => {
    const validate = defaults.minAmpsPerTWC.validate!;
    assert.equal(validate.call({ wiringMaxAmpsPerTWC: 16 }, 16), true);
    assert.equal(typeof validate.call({ wiringMaxAmpsPerTWC: 16 }, 17), 'string');
    assert.equal(parserAccepts('minAmpsPerTWC', 17), true, 'beside 80 A wiring');
    assert.throws(() => parseMasterSettings({ ...base, wiringMaxAmpsPerTWC: 16, minAmpsPerTWC: 17 }));
    assert.throws(() => resolveMasterConfig({ wiringMaxAmpsPerTWC: 16, minAmpsPerTWC: 17 }), ConfigError);
  });
});
