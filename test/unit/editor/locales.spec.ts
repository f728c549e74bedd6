import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vm from 'node:vm';
import { COMMANDS } from '../../../src/api/commands';
import { PAYLOADS } from '../../../src/api/payloads';
import { NODE_FIELDS } from '../../../src/bus/settings';

const ROOT = path.join(__dirname, '..', '..', '..', '..');
const NODES = path.join(ROOT, 'nodes');
const LOCALES = path.join(NODES, 'locales');
const MODULE = 'node-red-contrib-twcmanager';
const NODE_TYPES = ['twc-master', 'twc-status', 'twc-command'];
const LANGS = fs.readdirSync(LOCALES).sort();

type Catalog = { [key: string]: string | Catalog };
const catalog = (lang: string, type: string): Catalog =>
  JSON.parse(fs.readFileSync(path.join(LOCALES, lang, `${type}.json`), 'utf8')) as Catalog;

/** Every leaf of a catalog as a dotted key. */
function leaves(c: Catalog, prefix = ''): string[] {
  return Object.entries(c).flatMap(([k, v]) =>
    typeof v === 'string' ? [prefix + k] : leaves(v, `${prefix}${k}.`),
  );
}
function lookup(c: Catalog, key: string): string | Catalog | undefined {
  let at: string | Catalog | undefined = c;
  for (const part of key.split('.')) at = typeof at === 'object' ? at[part] : undefined;
  return at;
}
/** The __name__ placeholders of a text: a translation must keep every one. */
const placeholders = (text: string): string[] => [...text.matchAll(/__(\w+)__/g)].map((m) => m[1]).sort();

interface PropDef {
  value?: unknown;
  label?: string;
  type?: string;
  validate?: (this: unknown, v: unknown, opt: unknown) => unknown;
}
interface NodeDefinition {
  defaults: Record<string, PropDef>;
  credentials?: Record<string, PropDef>;
  label: (this: unknown) => string;
  paletteLabel?: string | (() => string);
}

/**
 * Runs a node's editor script as the editor would, with RED._ recording each key it asks for (and
 * answering with the English text, placeholders filled, so that validators return what a user reads).
 */
function loadEditorScript(type: string): { def: NodeDefinition; asked: string[] } {
  const html = fs.readFileSync(path.join(NODES, `${type}.html`), 'utf8');
  const script = /<script type="text\/javascript">([\s\S]*?)<\/script>/.exec(html)?.[1];
  assert.ok(script, `${type}.html has an editor script`);
  const asked: string[] = [];
  let def: NodeDefinition | undefined;
  const en = catalog('en-US', type);
  const RED = {
    _: (key: string, opts: Record<string, unknown> = {}) => {
      asked.push(key);
      const [ns, k] = key.split(':');
      assert.equal(ns, `${MODULE}/${type}`, `the namespace of ${key}`);
      const text = lookup(en, k);
      return typeof text === 'string' ? text.replace(/__(\w+)__/g, (_m, p: string) => String(opts[p])) : key;
    },
    settings: { twcMasterFields: NODE_FIELDS, twcStatusPayloads: PAYLOADS, twcCommandNames: COMMANDS },
    nodes: {
      registerType: (name: string, d: NodeDefinition) => {
        assert.equal(name, type);
        def = d;
      },
    },
    validators: {},
  };
  // No dialog is open: jQuery finds nothing, so validators read the node's saved values.
  const $ = () => ({ length: 0, val: () => undefined });
  vm.runInNewContext(script, { RED, $, URL });
  assert.ok(def, `${type}.html registers its type`);
  return { def, asked };
}

describe('the editor: locales and help', () => {
  it('has English and German', () => {
    assert.deepEqual(LANGS, ['de', 'en-US']);
  });

  for (const type of NODE_TYPES) {
    describe(type, () => {
      const en = catalog('en-US', type);

      for (const lang of LANGS.filter((l) => l !== 'en-US')) {
        it(`the ${lang} catalog has exactly the keys of en-US, with the same placeholders`, () => {
          const other = catalog(lang, type);
          assert.deepEqual(leaves(other).sort(), leaves(en).sort());
          for (const key of leaves(en)) {
            const text = lookup(other, key) as string;
            assert.ok(text.trim().length > 0, `${lang} ${key} is empty`);
            assert.deepEqual(placeholders(text), placeholders(lookup(en, key) as string), `${lang} ${key}`);
          }
        });

        it(`has ${lang} help beside the en-US help, for this node only`, () => {
          for (const l of ['en-US', lang]) {
            const help = fs.readFileSync(path.join(LOCALES, l, `${type}.html`), 'utf8');
            const names = [...help.matchAll(/data-help-name="([^"]+)"/g)].map((m) => m[1]);
            assert.deepEqual(names, [type], `${l}/${type}.html`);
          }
        });
      }

      it('keeps its help out of the node file (Node-RED reads it from locales/)', () => {
        const html = fs.readFileSync(path.join(NODES, `${type}.html`), 'utf8');
        assert.doesNotMatch(html, /data-help-name/);
      });

      it('asks only for keys that the catalog has', () => {
        const html = fs.readFileSync(path.join(NODES, `${type}.html`), 'utf8');
        const missing: string[] = [];
        // data-i18n="key" and data-i18n="[attr]key;[attr2]key2"
        for (const m of html.matchAll(/data-i18n="([^"]+)"/g)) {
          for (const part of m[1].split(';')) {
            const key = part.replace(/^\[[^\]]+\]/, '');
            const [section, ...rest] = key.split('.');
            if (section !== type || typeof lookup(en, key) !== 'string' || rest.length === 0)
              missing.push(key);
          }
        }
        // Literal keys of t('…'); a key built at run time (t('label.' + p)) must at least name a section.
        for (const m of html.matchAll(/\bt\('([^']+)'(\s*\+)?/g)) {
          const key = `${type}.${m[1]}`;
          const found = lookup(en, m[2] ? key.replace(/\.$/, '') : key);
          if (m[2] ? typeof found !== 'object' : typeof found !== 'string') missing.push(key);
        }
        // And everything the definition asks for while it registers, labels itself and validates.
        const { def, asked } = loadEditorScript(type);
        for (const transport of ['serial', 'tcp', 'simulator'])
          def.label.call({ transport, host: 'gw', tcpPort: 8899, serialPort: '/dev/ttyUSB0' });
        if (typeof def.paletteLabel === 'function') def.paletteLabel();
        for (const [prop, d] of Object.entries({ ...def.defaults, ...def.credentials })) {
          for (const transport of ['serial', 'tcp', 'simulator'])
            d.validate?.call({ transport, wiringMaxAmpsPerTWC: '16' }, '#bad#', { label: d.label });
          assert.ok(d.label, `${prop} has a label`);
        }
        for (const key of asked) if (typeof lookup(en, key.split(':')[1]) !== 'string') missing.push(key);
        assert.deepEqual(missing, []);
      });

      it('labels every property and gives a reason, not just "invalid", for every refused value', () => {
        const { def } = loadEditorScript(type);
        const refusing = Object.entries(def.defaults).filter(([, d]) => d.validate);
        assert.ok(refusing.length > 0);
        for (const [prop, d] of refusing) {
          // Each validator refuses one of these in the situation it applies to (its transport), and says why.
          const reasons = ['serial', 'tcp', 'simulator'].flatMap((transport) =>
            ['#bad#', ' '].map((bad) =>
              d.validate!.call({ transport, wiringMaxAmpsPerTWC: '16' }, bad, { label: d.label }),
            ),
          );
          const refused = reasons.filter((r) => r !== true);
          assert.ok(refused.length > 0, `${prop} refuses a bad value`);
          for (const r of refused) {
            assert.equal(typeof r, 'string', `${prop} says why`);
            assert.ok((r as string).startsWith(`${d.label}: `), `${prop}: "${String(r)}" names the field`);
            assert.doesNotMatch(r as string, /__\w+__|undefined/, `${prop}: "${String(r)}" is filled in`);
          }
        }
      });
    });
  }

  it('names every command and every output of the runtime in the dialogs', () => {
    const commands = catalog('en-US', 'twc-command')['twc-command'] as Catalog;
    assert.deepEqual(Object.keys(commands.command).sort(), ['topic', ...COMMANDS].sort());
    const status = catalog('en-US', 'twc-status')['twc-status'] as Catalog;
    assert.deepEqual(Object.keys(status.payload).sort(), [...PAYLOADS].sort());
  });
});

describe("the twc-master dialog: the reasons quote the parser's ranges", () => {
  const { def } = loadEditorScript('twc-master');
  const check = (prop: string, value: unknown, node: Record<string, unknown> = { transport: 'serial' }) =>
    def.defaults[prop].validate!.call(node, value, { label: def.defaults[prop].label });

  for (const [name, field] of Object.entries(NODE_FIELDS)) {
    it(`${name}: ${field.min} to ${field.max} pass, one outside either end is refused with the range`, () => {
      const node = { transport: 'serial', wiringMaxAmpsPerTWC: String(NODE_FIELDS.wiringMaxAmpsPerTWC.max) };
      // minAmpsPerTWC is also bounded by the per-TWC limit; with that at its max, its own range applies.
      assert.equal(check(name, String(field.min), node), true);
      assert.equal(check(name, ` ${field.max} `, node), true);
      for (const bad of [String(field.min - 1), String(field.max + 1), '1.5', 'x']) {
        const reason = check(name, bad, node);
        assert.equal(typeof reason, 'string', `${name} ${bad}`);
        assert.match(reason as string, new RegExp(`from ${field.min} to ${field.max}\\b`));
      }
      // Left empty, the parser takes the default; without a default the field is required.
      const dflt = (field as { default?: number }).default;
      assert.equal(check(name, '', node) === true, dflt !== undefined, `${name} empty`);
    });
  }

  it('minAmpsPerTWC above the per-TWC limit is refused with that limit', () => {
    assert.equal(check('minAmpsPerTWC', '16', { wiringMaxAmpsPerTWC: '16' }), true);
    assert.equal(
      check('minAmpsPerTWC', '17', { wiringMaxAmpsPerTWC: '16' }),
      'Min amps per TWC: at most Max amps per TWC (16 A)',
    );
    // Empty is the default (12): refused against a 10 A limit, as the parser would.
    assert.equal(typeof check('minAmpsPerTWC', '', { wiringMaxAmpsPerTWC: '10' }), 'string');
  });

  it('the transport-specific fields are checked only for their transport', () => {
    assert.equal(check('serialPort', '', { transport: 'tcp' }), true);
    assert.equal(
      check('serialPort', ' ', { transport: 'serial' }),
      "Serial port: the adapter's device is required, e.g. /dev/ttyUSB0",
    );
    assert.equal(check('host', '', { transport: 'serial' }), true);
    assert.equal(typeof check('host', '', { transport: 'tcp' }), 'string');
    assert.equal(check('tcpPort', '', { transport: 'serial' }), true);
    assert.match(
      check('tcpPort', '', { transport: 'tcp' }) as string,
      /^Gateway port: a whole number from 1 to 65535$/,
    );
    assert.equal(check('simulatedSlaves', 'junk', { transport: 'serial' }), true);
    assert.equal(check('simulatedSlaves', '4142:80:32, 4243:32', { transport: 'simulator' }), true);
    assert.match(
      check('simulatedSlaves', '4142', { transport: 'simulator' }) as string,
      /^Simulated TWCs: ID:max amps/,
    );
  });

  it('the master TWCID is read as the runtime reads one', () => {
    for (const ok of ['7777', '0x41aB', ' abcd ']) assert.equal(check('fakeTWCID', ok), true, ok);
    for (const bad of ['777', '77777', 'wxyz', ''])
      assert.equal(typeof check('fakeTWCID', bad), 'string', bad);
  });

  it('an allowed origin with a path is refused, naming the item', () => {
    assert.equal(check('allowedOrigins', 'https://ha.example.com, http://192.168.1.5:1880'), true);
    assert.equal(
      check('allowedOrigins', 'https://ha.example.com http://hub.local/lovelace'),
      'Allowed origins: "http://hub.local/lovelace" is not an origin like https://ha.example.com:8123 (no path)',
    );
  });
});
