import * as fs from 'node:fs';
import * as path from 'node:path';
import { NODES } from './helper-flows';
import { helper } from './node-red';

const LOCALES = path.join(__dirname, '..', '..', '..', 'nodes', 'locales');

type Catalog = { [key: string]: string | Catalog };

/**
 * RED._ as Node-RED's runtime answers it with the editor set to `lang`: `<module>/<node>:<key>` looked up in
 * nodes/locales/<lang>/<node>.json, i18next's `_one`/`_other` for a count, `__name__` filled; the key when
 * there is no text (node-red-node-test-helper's own RED._ always answers the key).
 */
export function catalogTranslate(lang: string): (key: string, values?: Record<string, unknown>) => string {
  return (key, values = {}) => {
    const [ns, dotted] = key.split(':');
    const node = ns.split('/')[1];
    const file = path.join(LOCALES, lang, `${node}.json`);
    if (!dotted || !fs.existsSync(file)) return key;
    const parts = dotted.split('.');
    if (typeof values.count === 'number')
      parts.push(`${parts.pop()}_${values.count === 1 ? 'one' : 'other'}`);
    let at: string | Catalog | undefined = JSON.parse(fs.readFileSync(file, 'utf8')) as Catalog;
    for (const part of parts) at = typeof at === 'object' ? at[part] : undefined;
    if (typeof at !== 'string') return key;
    return at.replace(/__(\w+)__/g, (whole, name: string) =>
      Object.hasOwn(values, name) ? String(values[name]) : whole,
    );
  };
}

/**
 * Our nodes and `flow` in the helper, their RED._ answering in `lang`: the helper hands every node module the
 * same RED, so setting it before the first module registers covers all three.
 */
export function loadInLanguage(lang: string, flow: Record<string, unknown>[]): Promise<void> {
  const [first, ...rest] = NODES;
  const inLanguage = (RED: { _: unknown }): unknown => {
    RED._ = catalogTranslate(lang);
    return (first as (red: unknown) => unknown)(RED);
  };
  return helper.load([inLanguage, ...rest] as never, flow as never);
}
