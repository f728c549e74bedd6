import type { NodeStatus } from 'node-red';
import type { MasterSnapshot } from '../master/types';

/**
 * The status dot of a node attached to a bus: what a user sees first, so it must tell the truth. A
 * settings notice (restored from backup, not saved) turns a healthy dot yellow and is added to its text.
 */
export function busStatus(snapshot: MasterSnapshot, settingsNotice?: string): NodeStatus {
  const status = wireStatus(snapshot);
  if (!settingsNotice || status.fill === 'red') return status;
  return { fill: 'yellow', shape: 'ring', text: `${status.text} · ${settingsNotice}` };
}

/** The status of a twc-command after a command: its name, with any settings notice. */
export function commandStatus(name: string, statusCode: number, settingsNotice?: string): NodeStatus {
  if (statusCode >= 400) return { fill: 'yellow', shape: 'ring', text: `${name}: ${statusCode}` };
  if (settingsNotice) return { fill: 'yellow', shape: 'ring', text: `${name} · ${settingsNotice}` };
  return { fill: 'green', shape: 'dot', text: name };
}

function wireStatus(snapshot: MasterSnapshot): NodeStatus {
  const { transport, totals } = snapshot;
  if (transport.state === 'waiting') {
    // The target is in the node's settings already; the dot has room only for the cause.
    const cause = transport.detail.replace(/^cannot (?:open|connect to) [^ ]+: /, '');
    const detail = cause.length > 48 ? `${cause.slice(0, 47)}…` : cause;
    return { fill: 'red', shape: 'ring', text: `port error: ${detail}` };
  }
  if (transport.state !== 'open') return { fill: 'grey', shape: 'ring', text: 'connecting…' };
  const alert = snapshot.alerts[0];
  if (alert) return { fill: 'red', shape: 'ring', text: alert.message };
  if (totals.slaves === 0) return { fill: 'yellow', shape: 'ring', text: 'no TWC answering' };
  const amps = Math.round(totals.reportedAmpsActual);
  return {
    fill: 'green',
    shape: 'dot',
    text: `${totals.slaves} TWC${totals.slaves === 1 ? '' : 's'} · ${amps} A`,
  };
}
