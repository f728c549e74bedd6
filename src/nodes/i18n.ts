import * as fs from 'node:fs';
import * as path from 'node:path';
import type { NodeAPI } from 'node-red';
import type { Told } from '../bus/told';

/**
 * The runtime texts of all three nodes live in one catalog section, `twc-master.runtime` of
 * nodes/locales/<lang>/twc-master.json, so a text shared by the nodes (the bus status) is written once.
 * Node-RED gives each node file its own catalog namespace (the module and the node's name), so the other two
 * node files name twc-master's namespace in full.
 */
const NAMESPACE = 'node-red-contrib-twcmanager/twc-master';
const SECTION = 'twc-master.runtime';

export type Values = Record<string, string | number>;
export type Translate = (key: string, values?: Values) => string;

let catalog: Record<string, unknown> | undefined;

/** The English catalog, for a runtime that has none loaded (node-red-node-test-helper's RED._ returns the key). */
function englishCatalog(): Record<string, unknown> {
  if (catalog) return catalog;
  // From dist/nodes (the package) or build/src/nodes (the tests' compile), up to the folder holding nodes/.
  for (let dir = __dirname, i = 0; i < 5; i++, dir = path.dirname(dir)) {
    const file = path.join(dir, 'nodes', 'locales', 'en-US', 'twc-master.json');
    if (fs.existsSync(file)) {
      const all = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, Record<string, unknown>>;
      catalog = (all['twc-master'].runtime ?? {}) as Record<string, unknown>;
      return catalog;
    }
  }
  catalog = {};
  return catalog;
}

/** Node-RED's `__name__` placeholders, filled as its i18n does. */
function fill(text: string, values: Values): string {
  return text.replace(/__(\w+)__/g, (whole, name: string) =>
    Object.hasOwn(values, name) ? String(values[name]) : whole,
  );
}

function lookup(key: string, values: Values): string | undefined {
  let at: unknown = englishCatalog();
  // i18next's plural keys, as Node-RED's runtime picks them: `_one` for a count of 1, else `_other`.
  const parts = key.split('.');
  if (typeof values.count === 'number') parts.push(`${parts.pop()}_${values.count === 1 ? 'one' : 'other'}`);
  for (const part of parts) at = (at as Record<string, unknown> | undefined)?.[part];
  return typeof at === 'string' ? at : undefined;
}

/** The English catalog alone: the runtime's fallback, and what tests of the status texts compare with. */
export const english: Translate = (key, values = {}) => {
  const own = lookup(key, values) ?? lookup(key, {});
  return own === undefined ? key : fill(own, values);
};

/** `t('status.busDown', { detail })`: `twc-master.runtime.status.busDown` in the runtime's language (`lang`, else LANG). */
export function translator(RED: NodeAPI): Translate {
  return (key, values = {}) => {
    const full = `${NAMESPACE}:${SECTION}.${key}`;
    const text = (RED._ as (k: string, v?: Values) => string)(full, values);
    if (typeof text === 'string' && text !== full && text !== `${SECTION}.${key}`) return text;
    return english(key, values);
  };
}

/** A Told in the language of `t`: its reasons inside first, then the sentence around them. */
export function say(t: Translate, text: Told): string {
  const values: Values = {};
  for (const [name, v] of Object.entries(text.values)) values[name] = typeof v === 'object' ? say(t, v) : v;
  return t(text.code, values);
}
