/** Charge now, start/stop, the policy override and the schedule: forms that post and then say what came back. */
import { get, isRecord, post, type Answer } from './api.js';
import { byId, el, num, say, setText } from './dom.js';
import type { Status } from './status.js';

const DAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'] as const;

/** Runs a command and tells its result in the section's message line; the warning wins over the success. */
export async function act(
  msgId: string,
  run: () => Promise<Answer>,
  done: string,
  after: () => void,
): Promise<void> {
  try {
    const answer = await run();
    if (answer.warning) say(msgId, `${done} ${answer.warning}`, 'warn');
    else say(msgId, done, 'ok');
  } catch (e) {
    say(msgId, (e as Error).message, 'error');
  }
  after();
}

const input = (id: string): HTMLInputElement => byId<HTMLInputElement>(id);

export function wireChargeNow(refresh: () => void): void {
  byId('charge-form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    const rate = parseInt(input('rate').value, 10);
    const duration = parseInt(byId<HTMLSelectElement>('duration').value, 10);
    void act(
      'charge-message',
      () => post('chargeNow', { chargeNowRate: rate, chargeNowDuration: duration }),
      `Charging now at ${rate} A.`,
      refresh,
    );
  });
  const button = (id: string, name: string, done: string): void =>
    byId(id).addEventListener('click', () => void act('charge-message', () => post(name), done, refresh));
  button('cancel', 'cancelChargeNow', 'Charge now cancelled.');
  button('start', 'sendStartCommand', 'Start sent to every Wall Connector.');
  button('stop', 'sendStopCommand', 'Stop sent to every Wall Connector.');
}

/** The policy list of getPolicy, once: it is TWCManager's fixed list (docs/api.md §3.4). */
export async function loadPolicies(): Promise<void> {
  const list = await get('getPolicy');
  const names = Array.isArray(list) ? list.filter(isRecord).map((p) => String(p.name)) : [];
  const select = byId<HTMLSelectElement>('policy-name');
  select.replaceChildren(...[...new Set(names)].map((n) => el('option', { value: n }, n)));
}

const ACTIONS: Record<string, string> = { '1': 'charge', '2': 'do not charge', '3': 'track green energy' };

export async function showPolicy(): Promise<void> {
  const action = await get('getActivePolicyAction');
  setText(
    'policyAction',
    action === null ? 'none yet' : `${String(action)} · ${ACTIONS[String(action)] ?? '?'}`,
  );
}

export function wirePolicy(refresh: () => void): void {
  byId('policy-form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    const policy = byId<HTMLSelectElement>('policy-name').value;
    void act('policy-message', () => post('setPolicy', { policy }), `Policy set to ${policy}.`, refresh);
  });
}

const hhmm = (minute: number): string =>
  minute < 0
    ? ''
    : `${String(Math.floor(minute / 60) % 24).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;
const minuteOf = (v: string): number => {
  const [h, m] = v.split(':').map((x) => parseInt(x, 10));
  return Number.isFinite(h) && Number.isFinite(m) ? h * 60 + m : -1;
};

let scheduleShown = false;

/** Fills the form from getStatus's ScheduledCharging, once, so that a poll never overwrites what is typed. */
export function showSchedule(s: Status, force = false): void {
  const sc = s.ScheduledCharging;
  if (!isRecord(sc)) return;
  setText('scheduleState', sc.enabled ? 'enabled' : 'off');
  if (scheduleShown && !force) return;
  scheduleShown = true;
  input('sched-amps').value = String(num(sc.amps));
  input('sched-start').value = hhmm(num(sc.startingMinute));
  input('sched-end').value = hhmm(num(sc.endingMinute));
  for (const d of DAYS) input(`sched-${d}`).checked = sc[d] === true;
  input('sched-flex').checked = num(sc.flexStartEnabled) === 1;
  input('sched-battery').value = String(num(sc.flexBatterySize));
}

export function wireSchedule(refresh: () => void, reload: () => Promise<void>): void {
  byId('schedule-form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    const body: Record<string, unknown> = {
      amps: parseInt(input('sched-amps').value, 10),
      startingMinute: minuteOf(input('sched-start').value),
      endingMinute: minuteOf(input('sched-end').value),
      flexStartEnabled: input('sched-flex').checked,
    };
    for (const d of DAYS) body[d] = input(`sched-${d}`).checked;
    const battery = parseInt(input('sched-battery').value, 10);
    if (battery > 40) body.flexBatterySize = battery;
    void act(
      'schedule-message',
      () => post('setScheduledChargingSettings', body),
      'Schedule saved.',
      () => void reload().then(refresh),
    );
  });
}
