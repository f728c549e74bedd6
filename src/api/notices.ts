import type { MasterSnapshot } from '../master/types';
import type { ActivePolicy } from '../policy/charge-policy';

/**
 * Why what is set cannot take effect on the wire now (docs/api.md §1.7). One list, computed here only: getStatus
 * shows it as `notices`, command answers carry its first relevant entry as `warning`/`warningCode`, and the
 * node status dots show it (translated by code, so the values travel beside the English text).
 */
export const NOTICE_CODES = ['busDown', 'noTwc', 'stopped', 'belowMinimum'] as const;
export type NoticeCode = (typeof NOTICE_CODES)[number];

/** The values a notice's text is made of; a translation takes the same ones. */
export type NoticeValues = Record<string, string | number>;

export interface NoticeFact {
  code: NoticeCode;
  values: NoticeValues;
}

/** What getStatus and the answers show: the code and an English sentence. */
export interface Notice {
  code: NoticeCode;
  message: string;
}

/** The two limits of the installation the notices compare with. */
export interface NoticeLimits {
  minAmpsPerTWC: number;
  wiringMaxAmpsAllTWCs: number;
}

/** The English texts, `{name}` standing for a value (the node locales use the same values). */
export const NOTICE_TEXTS: Record<NoticeCode, string> = {
  busDown: 'the bus is not open ({detail}): nothing reaches the Wall Connectors',
  noTwc: 'no Wall Connector answers on the bus: nothing set here reaches a charger',
  stopped: 'stopped by sendStopCommand until sendStartCommand, so 0 A is offered to {twcs}',
  belowMinimum:
    '{policy} allows {amps} A, below the minimum of {min} A per Wall Connector (minAmpsPerTWC): 0 A is offered',
};

export function fillText(text: string, values: NoticeValues): string {
  return text.replace(/\{(\w+)\}/g, (whole, name: string) =>
    Object.hasOwn(values, name) ? String(values[name]) : whole,
  );
}

/** The reasons, most basic first: a bus that is down hides everything after it. */
export function noticeFacts(
  snapshot: Pick<MasterSnapshot, 'transport' | 'slaves'>,
  active: Pick<ActivePolicy, 'name' | 'amps'>,
  limits: NoticeLimits,
): NoticeFact[] {
  const facts: NoticeFact[] = [];
  const { transport, slaves } = snapshot;
  if (transport.state !== 'open') facts.push({ code: 'busDown', values: { detail: transport.detail } });
  else if (slaves.length === 0) facts.push({ code: 'noTwc', values: {} });
  const stopped = slaves.filter((s) => s.chargingStopped).map((s) => s.TWCID);
  if (stopped.length > 0)
    facts.push({ code: 'stopped', values: { twcs: stopped.join(', '), count: stopped.length } });
  // The total the policy allows, as the engine shares it: whole amps within the wiring limit.
  const amps = Math.floor(Math.max(0, Math.min(active.amps, limits.wiringMaxAmpsAllTWCs)));
  const min = slaves.length > 0 ? Math.min(...slaves.map((s) => s.minAmps)) : limits.minAmpsPerTWC;
  if (amps > 0 && amps < min)
    facts.push({ code: 'belowMinimum', values: { policy: active.name, amps, min } });
  return facts;
}

export function noticeOf(fact: NoticeFact): Notice {
  return { code: fact.code, message: fillText(NOTICE_TEXTS[fact.code], fact.values) };
}

/** getStatus's `notices`. */
export function notices(
  snapshot: Pick<MasterSnapshot, 'transport' | 'slaves'>,
  active: Pick<ActivePolicy, 'name' | 'amps'>,
  limits: NoticeLimits,
): Notice[] {
  return noticeFacts(snapshot, active, limits).map(noticeOf);
}

const ALL: readonly NoticeCode[] = NOTICE_CODES;
const WIRE_ONLY: readonly NoticeCode[] = ['busDown', 'noTwc'];

/**
 * The commands whose effect is meant for the wire and whose answer has a body, with the notices that concern
 * them. A start or stop is about the units it names, so another unit's stop is no warning for it; a start
 * that the policy's amps cannot follow still is.
 */
export const COMMAND_NOTICES: Readonly<Record<string, readonly NoticeCode[]>> = {
  chargeNow: ALL,
  cancelChargeNow: ALL,
  sendStartCommand: ['busDown', 'noTwc', 'belowMinimum'],
  sendStopCommand: WIRE_ONLY,
  setGreenEnergy: ALL,
  addConsumptionOffset: ALL,
  deleteConsumptionOffset: ALL,
  setScheduledChargingSettings: ALL,
  setPolicy: ALL,
};

/** The first notice that concerns `command`, as the answer's `warning` and `warningCode`; none: {}. */
export function commandWarning(
  command: string,
  facts: readonly NoticeFact[],
): { warning?: string; warningCode?: NoticeCode } {
  const concerned = Object.hasOwn(COMMAND_NOTICES, command) ? COMMAND_NOTICES[command] : [];
  const fact = facts.find((f) => concerned.includes(f.code));
  if (!fact) return {};
  const { code, message } = noticeOf(fact);
  return { warning: message, warningCode: code };
}
