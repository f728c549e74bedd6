/** The debug panel: one read-only question to one unit, and the reply getLastTWCResponse shows for it. */
import { get, post } from './api.js';
import { byId, el, say, setText } from './dom.js';

const REPLY_POLL_MS = 500;
const REPLY_TRIES = 10;

/** The units to ask, kept in step with getSlaveTWCs; the first is TWCManager's default. */
export function showUnits(ids: string[]): void {
  const select = byId<HTMLSelectElement>('debug-twc');
  const now = [...select.options].map((o) => o.value);
  if (now.join() === ids.join()) return;
  const chosen = select.value;
  select.replaceChildren(...ids.map((id) => el('option', { value: id }, id)));
  if (ids.includes(chosen)) select.value = chosen;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function ask(): Promise<void> {
  const commandName = byId<HTMLSelectElement>('debug-command').value;
  const body: Record<string, string> = { commandName, subTWC: byId<HTMLSelectElement>('debug-twc').value };
  if (commandName === 'Custom') body.customCommand = byId<HTMLInputElement>('debug-custom').value;
  try {
    await post('sendDebugCommand', body);
  } catch (e) {
    say('debug-message', (e as Error).message, 'error');
    return;
  }
  say('debug-message', `${commandName} sent to ${body.subTWC}; waiting for the reply…`);
  // The reply is empty text (bytearray(b'')) until the unit answers within its window (docs/api.md §3.8).
  for (let i = 0; i < REPLY_TRIES; i++) {
    await sleep(REPLY_POLL_MS);
    const reply = String(await get('getLastTWCResponse'));
    setText('debug-reply', reply);
    if (reply !== "bytearray(b'')" && reply !== 'None') {
      say('debug-message', `${commandName}: reply from ${body.subTWC}.`);
      return;
    }
  }
  say('debug-message', `${commandName}: no reply from ${body.subTWC}.`, 'warn');
}

export function wireDebug(): void {
  const command = byId<HTMLSelectElement>('debug-command');
  const custom = byId('debug-custom-label');
  command.addEventListener('change', () => (custom.hidden = command.value !== 'Custom'));
  byId('debug-form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    void ask();
  });
}

export async function showLastReply(): Promise<void> {
  setText('debug-reply', String(await get('getLastTWCResponse')));
}
