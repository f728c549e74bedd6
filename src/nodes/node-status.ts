import type { NodeStatus } from 'node-red';
import type { NoticeCode, NoticeFact } from '../api/notices';
import type { MasterSnapshot } from '../master/types';
import type { Translate } from './i18n';

/** What a node shows of its bus: the wire, the notices of docs/api.md §1.7, and the master's own troubles. */
export interface BusView {
  snapshot: MasterSnapshot;
  facts: readonly NoticeFact[];
  /** Why the settings are not what was saved, or are not saved (already in words). */
  settingsNotice?: string;
  /** The API listens on other interfaces than loopback without a token (already in words when set). */
  apiOpen?: boolean;
  /** Why the dedicated API port is not serving (already in words). */
  apiProblem?: string;
}

/** Notices the wire status itself does not show: a down bus and a bus without units are the wire's own text. */
const EXTRA_NOTICES: readonly NoticeCode[] = ['stopped', 'belowMinimum'];

/** The dot has room for the cause only; the node's error and the log carry the whole text. */
const DOT_DETAIL = 48;

/**
 * The status dot of a node attached to a bus: what a user sees first, so it must tell the truth. Red stays
 * red; anything that keeps what is set from the wire, or an API open to the network, turns green yellow and
 * is added to the text.
 */
export function busStatus(view: BusView, t: Translate): NodeStatus {
  const status = wireStatus(view.snapshot, t);
  const extras = view.facts
    .filter((f) => EXTRA_NOTICES.includes(f.code))
    .map((f) => t(`notice.${f.code}`, f.values));
  if (view.apiProblem) extras.push(view.apiProblem);
  if (view.apiOpen) extras.push(t('status.apiOpen'));
  if (view.settingsNotice) extras.push(view.settingsNotice);
  if (extras.length === 0) return status;
  const text = [status.text, ...extras].join(' · ');
  return { fill: status.fill === 'red' ? 'red' : 'yellow', shape: 'ring', text };
}

/** The last command of a twc-command node, as its status shows it beside the bus. */
export interface CommandOutcome {
  name: string;
  statusCode: number;
  warningCode?: string;
}

/** The bus status, with what became of the last command after it: refused, taken but not in effect, or done. */
export function commandStatus(outcome: CommandOutcome, bus: NodeStatus, t: Translate): NodeStatus {
  const { name, statusCode: code, warningCode } = outcome;
  const refused = code >= 400;
  const part = refused
    ? t('status.commandRefused', { name, code })
    : warningCode
      ? t('status.commandNotInEffect', { name })
      : t('status.commandDone', { name });
  const text = `${String(bus.text)} · ${part}`;
  if (bus.fill === 'red') return { fill: 'red', shape: 'ring', text };
  if (refused || warningCode || bus.fill !== 'green') return { fill: 'yellow', shape: 'ring', text };
  return { fill: 'green', shape: 'dot', text };
}

function wireStatus(snapshot: MasterSnapshot, t: Translate): NodeStatus {
  const { transport, totals } = snapshot;
  if (transport.state === 'waiting') {
    // The target is in the node's settings already; the dot has room only for the cause.
    // serialport words a missing device "Error: No such file or directory, cannot open /dev/…".
    const cause = transport.detail
      .replace(/^cannot (?:open|connect to) [^ ]+: /, '')
      .replace(/^Error: /, '')
      .replace(/, cannot open \S+$/, '');
    const detail = cause.length > DOT_DETAIL ? `${cause.slice(0, DOT_DETAIL - 1)}…` : cause;
    return { fill: 'red', shape: 'ring', text: t('status.busDown', { detail }) };
  }
  if (transport.state !== 'open') return { fill: 'grey', shape: 'ring', text: t('status.connecting') };
  const alert = snapshot.alerts[0];
  if (alert) {
    // Translated by its code; the unit is the one marked in the snapshot (or our own ID, for a collision).
    const twcid =
      alert.code === 'idCollision'
        ? snapshot.fakeTWCID
        : snapshot.slaves
            .filter((s) => s.duplicateId)
            .map((s) => s.TWCID)
            .join(', ');
    return { fill: 'red', shape: 'ring', text: t(`alert.${alert.code}`, { twcid }) };
  }
  if (totals.slaves === 0) return { fill: 'yellow', shape: 'ring', text: t('status.noTwc') };
  const amps = Math.round(totals.reportedAmpsActual);
  return { fill: 'green', shape: 'dot', text: t('status.running', { count: totals.slaves, amps }) };
}
