/**
 * The page's entry: loads each section, then keeps the live ones current by polling the flow's own GET
 * routes (BENCHMARKS.md, "The web page's live updates", has why polling and not a server-sent stream).
 */
import { get, isRecord, storeToken, whenLocked } from './api.js';
import {
  loadPolicies,
  showPolicy,
  showSchedule,
  wireChargeNow,
  wirePolicy,
  wireSchedule,
} from './controls.js';
import { showLastReply, showUnits, wireDebug } from './debug.js';
import { byId, say, setText } from './dom.js';
import { drawHistory, redrawOnResize } from './graph.js';
import { showLocation, showOffsets, wireGreen } from './green.js';
import { showConfig, wireSettings } from './settings.js';
import { showSlaves, showStatus } from './status.js';

/** getStatus and getSlaveTWCs; the page's one live cost (BENCHMARKS.md). */
const LIVE_MS = 2000;
/** The rest changes only when someone acts, or (the history) once per five-minute slot. */
const SLOW_MS = 60000;

let busy = false;
async function refresh(): Promise<void> {
  if (busy) return;
  busy = true;
  try {
    const [status, slaves] = await Promise.all([get('getStatus'), get('getSlaveTWCs')]);
    if (isRecord(status)) {
      showStatus(status);
      showSchedule(status);
    }
    if (isRecord(slaves)) showUnits(showSlaves(slaves));
    setText('updated', `updated ${new Date().toLocaleTimeString()}`);
  } catch (e) {
    setText('updated', `no answer: ${(e as Error).message}`);
  } finally {
    busy = false;
  }
}

/** What only an action changes: run after each one and now and then. */
async function refreshSlow(): Promise<void> {
  const config = await get('getConfig');
  showConfig(config);
  showLocation(config);
  await Promise.all([showPolicy(), showOffsets(after), get('getHistory').then(drawHistory), showLastReply()]);
}

function after(): void {
  void refresh();
  refreshSlow().catch(() => undefined);
}

async function reloadSchedule(): Promise<void> {
  const status = await get('getStatus');
  if (isRecord(status)) showSchedule(status, true);
}

function start(): void {
  whenLocked(() => (byId('token-box').hidden = false));
  byId('token-form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    storeToken(byId<HTMLInputElement>('token').value);
    byId('token-box').hidden = true;
    say('token-message', 'Token saved in this browser.');
    void loadPolicies().catch(() => undefined);
    after();
  });
  wireChargeNow(after);
  wirePolicy(after);
  wireSchedule(after, reloadSchedule);
  wireGreen(after);
  wireSettings(after);
  wireDebug();
  redrawOnResize();
  void loadPolicies().catch(() => undefined);
  after();
  // A hidden tab costs the server nothing; it catches up as soon as it is seen again.
  setInterval(() => {
    if (!document.hidden) void refresh();
  }, LIVE_MS);
  setInterval(() => {
    if (!document.hidden) refreshSlow().catch(() => undefined);
  }, SLOW_MS);
  document.addEventListener('visibilitychange', () => {
    if (!document.hidden) after();
  });
}

start();
