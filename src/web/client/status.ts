/** The status tiles, the notices and the Wall Connector cards, from getStatus and getSlaveTWCs. */
import { isRecord } from './api.js';
import { byId, el, num, pairs, setText, watts } from './dom.js';

/** The heartbeat state byte (docs/protocol.md §4.5) in words. */
const STATES: Record<number, string> = {
  0: 'ready',
  1: 'charging',
  2: 'error',
  3: 'plugged in, not charging',
  4: 'plugged in, ready',
  5: 'busy',
  8: 'starting',
  10: 'adjusting amps',
};

export type Status = Record<string, unknown>;

const clock = (t: unknown): string => String(t).split(', ')[1] ?? String(t);

/** getStatus's greenWindow* fields (docs/api.md §6.7): the times are "YYYY-MM-DD, HH:MM", local. */
function windowText(s: Status): string {
  const located = s.greenWindowSource === 'location';
  const from = located ? 'sunrise to sunset here' : 'fixed hours';
  if (s.greenWindowAllDay === true) return `all day · ${located ? 'polar day' : from}`;
  if (!s.greenWindowStart) return `closed · ${located ? 'polar night' : from}`;
  return `${clock(s.greenWindowStart)}–${clock(s.greenWindowEnd)} · ${from}`;
}

/** getStatus's `notices`: why what is set cannot take effect on the wire now. */
function showNotices(s: Status): void {
  const list = byId('notices');
  const notices = Array.isArray(s.notices) ? s.notices.filter(isRecord) : [];
  list.replaceChildren(
    ...notices.map((n) => el('li', { 'data-code': String(n.code ?? '') }, String(n.message ?? n.code ?? ''))),
  );
  list.hidden = notices.length === 0;
}

export function showStatus(s: Status): void {
  setText('currentPolicy', String(s.currentPolicy ?? '–'));
  byId('policy-tile').classList.toggle('green', s.isGreenPolicy === 'Yes');
  setText('maxAmps', `${num(s.maxAmpsToDivideAmongSlaves).toFixed(2)} A`);
  setText('chargerLoad', `${watts(s.chargerLoadWatts)} · ${num(s.chargerLoadAmps).toFixed(2)} A`);
  setText('carsCharging', String(s.carsCharging ?? '–'));
  setText('generation', watts(s.generationWatts));
  setText('consumption', watts(s.consumptionWatts));
  if (s.greenWindowSource) setText('greenWindow', windowText(s));
  const charging = s.currentPolicy === 'Charge Now';
  if (s.chargeNowTimeEnd) {
    const end = new Date(num(s.chargeNowTimeEnd) * 1000);
    const mins = Math.max(0, Math.round((end.getTime() - Date.now()) / 60000));
    setText('chargeNow', `${String(s.chargeNowAmps)} A until ${end.toLocaleTimeString()} (${mins} min)`);
  } else {
    setText('chargeNow', 'off');
  }
  byId<HTMLButtonElement>('cancel').disabled = !s.chargeNowTimeEnd;
  setText('charge-submit', charging ? 'Update charge now' : 'Charge now');
  showNotices(s);
}

/** Cards, not a table: a phone shows every field of every unit without scrolling sideways. */
export function showSlaves(slaves: Record<string, unknown>): string[] {
  const box = byId('twcs');
  const ids: string[] = [];
  const cards: HTMLElement[] = [];
  for (const [key, t] of Object.entries(slaves)) {
    if (key === 'total' || !isRecord(t)) continue;
    const id = String(t.TWCID);
    ids.push(id);
    const volts = [t.voltsPhaseA, t.voltsPhaseB, t.voltsPhaseC].filter((v) => num(v) > 0).join(' / ');
    const state = STATES[num(t.state)] ?? `state ${String(t.state)}`;
    const card = el(
      'article',
      { class: 'card', id: `twc-${id.toLowerCase()}` },
      el('h3', {}, el('span', {}, `TWC ${id}`), el('span', { class: 'state' }, state)),
      pairs([
        ['Offered', `${num(t.lastAmpsOffered).toFixed(2)} A`],
        ['In use', `${num(t.reportedAmpsActual).toFixed(2)} A`],
        ['Max', `${String(t.maxAmps)} A`],
        ['Lifetime', `${String(t.lifetimekWh)} kWh`],
        ['Volts', volts || '–'],
        ['VIN', String(t.currentVIN || t.lastVIN || '–')],
        ['Last heard', `${num(t.lastHeartbeat).toFixed(1)} s ago`],
      ]),
    );
    card.dataset.offered = num(t.lastAmpsOffered).toFixed(2);
    cards.push(card);
  }
  box.replaceChildren(
    ...(cards.length ? cards : [el('p', { class: 'empty' }, 'no Wall Connector answering yet')]),
  );
  const total = slaves.total;
  setText('ampsOffered', isRecord(total) ? `${num(total.lastAmpsOffered).toFixed(2)} A` : '–');
  return ids;
}
