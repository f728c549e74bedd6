/** Green energy: the consumption offsets, the amps offset and the home location of the daylight window. */
import { get, isRecord, post } from './api.js';
import { act } from './controls.js';
import { byId, el, num } from './dom.js';

const value = (id: string): string => byId<HTMLInputElement>(id).value;

export async function showOffsets(after: () => void): Promise<void> {
  const offsets = await get('getConsumptionOffsets');
  const rows = isRecord(offsets) ? Object.entries(offsets) : [];
  const body = byId('offsets');
  body.replaceChildren(
    ...rows.map(([name, o]) => {
      const del = el('button', { type: 'button', class: 'small' }, 'Delete');
      del.addEventListener('click', () =>
        act(
          'green-message',
          () => post('deleteConsumptionOffset', { offsetName: name }),
          `Offset ${name} deleted.`,
          after,
        ),
      );
      const o2 = isRecord(o) ? o : {};
      return el(
        'li',
        { 'data-name': name },
        el('span', { class: 'name' }, name),
        el('span', {}, `${String(o2.value)} ${String(o2.unit)}`),
        del,
      );
    }),
  );
  if (rows.length === 0) body.append(el('li', { class: 'empty' }, 'no offsets'));
}

/** The location as getConfig shows it (docs/api.md §3.3); 10000 means not set. */
export function showLocation(config: unknown): void {
  const s = isRecord(config) && isRecord(config.settings) ? config.settings : {};
  const set = (id: string, v: unknown): void => {
    const field = byId<HTMLInputElement>(id);
    if (document.activeElement !== field) field.value = num(v) === 10000 ? '' : String(v);
  };
  set('lat', s.homeLat);
  set('lon', s.homeLon);
}

export function wireGreen(after: () => void): void {
  byId('offset-form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    const name = value('offset-name');
    const body = { offsetName: name, offsetValue: value('offset-value'), offsetUnit: value('offset-unit') };
    void act('green-message', () => post('addConsumptionOffset', body), `Offset ${name} saved.`, after);
  });
  byId('amps-offset-form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    const offset = value('amps-offset');
    void act(
      'green-message',
      () => post('setConsumptionOffset', { offset }),
      `Amps offset set to ${offset} A.`,
      after,
    );
  });
  byId('location-form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    const body = { lat: value('lat'), lon: value('lon') };
    void act('green-message', () => post('setLatLon', body), 'Home location saved.', after);
  });
}
