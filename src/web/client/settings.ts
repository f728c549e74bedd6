/** The installation's config (read-only here: it is the twc-master node's) and the run-time settings. */
import { isRecord, post } from './api.js';
import { act } from './controls.js';
import { byId, el, pairs } from './dom.js';

/** Flattens getConfig's branches to "config.minAmpsPerTWC = 6" rows. */
function rows(prefix: string, v: unknown, out: [string, string][]): void {
  if (isRecord(v)) for (const [k, x] of Object.entries(v)) rows(prefix ? `${prefix}.${k}` : k, x, out);
  else out.push([prefix, Array.isArray(v) ? v.join(', ') : String(v)]);
}

export function showConfig(config: unknown): void {
  const out: [string, string][] = [];
  rows('', config, out);
  byId('config').replaceChildren(out.length ? pairs(out) : el('p', { class: 'empty' }, 'no config'));
}

export function wireSettings(after: () => void): void {
  byId('setting-form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    const setting = byId<HTMLInputElement>('setting-name').value;
    const raw = byId<HTMLInputElement>('setting-value').value;
    // The policies' settings are numbers (docs/api.md §4.11); free-form ones stay text.
    const value = raw.trim() !== '' && Number.isFinite(Number(raw)) ? Number(raw) : raw;
    void act(
      'settings-message',
      () => post('setSetting', { setting, value }),
      `${setting} set to ${raw}.`,
      after,
    );
  });
  byId('save-settings').addEventListener('click', () =>
    act('settings-message', () => post('saveSettings'), 'Settings written to the state file.', after),
  );
}
