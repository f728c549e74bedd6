import assert from 'node:assert/strict';
import fc from 'fast-check';
import { ENCODED_CODES, formatHex, FrameDecoder, decodeMessage, READ_ONLY_CODES } from '../../src/protocol';
import { apiFlow } from '../api/example-flow';
import { request } from '../support/http-client';
import { freePort, startNodeRed, type NodeRedProcess } from '../support/node-red-process';
import { delay, openPtyPair, stopAll, type PtyPair } from '../support/pty';
import { attachSerialSim, type SerialSim } from '../support/serial-sim';

const A = 0x4142;
const B = 0x4243;

/** A class and function byte the gate refuses, drawn at random (neither encoded nor read-only). */
const refusedCode = (): string =>
  fc
    .sample(
      fc.integer({ min: 0, max: 0xffff }).filter((c) => !ENCODED_CODES.has(c) && !READ_ONLY_CODES.has(c)),
      1,
    )[0]
    .toString(16)
    .padStart(4, '0');

/** Polls an async `check` until it gives a value, or fails after `timeoutMs`. */
async function poll<T>(what: string, timeoutMs: number, check: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check().catch(() => undefined);
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await delay(100);
  }
}

describe('sendDebugCommand over a socat pty: a refused command never reaches the wire', function () {
  this.timeout(120000);
  let pty: PtyPair | undefined;
  let sim: SerialSim | undefined;
  let red: NodeRedProcess | undefined;

  after(async () => {
    await red?.stop();
    await stopAll(sim, pty);
  });

  it('refused → 400 and absent from the bus capture; allowed → 204, on the wire, its reply in getLastTWCResponse', async () => {
    pty = await openPtyPair();
    sim = await attachSerialSim(pty.a, [
      { id: A, maxAmps: 32, serial: 'A1234567890' },
      { id: B, maxAmps: 32, serial: 'B9876543210' },
    ]);
    const listenPort = await freePort();
    red = await startNodeRed(
      apiFlow({ transport: 'serial', serialPort: pty.b, listenPort, listenHost: '127.0.0.1' }),
    );
    const api = `http://127.0.0.1:${listenPort}/`;
    await poll('two linked units', 30000, async () => {
      const a = await request(api, 'GET', '/api/getSlaveTWCs');
      return a.status === 200 && Object.keys(a.json() as object).length === 3 ? true : undefined;
    });
    assert.equal((await request(api, 'GET', '/api/getLastTWCResponse')).text, 'None');
    const from = sim.heard.length;
    const post = (body: unknown) =>
      request(api, 'POST', '/api/sendDebugCommand', { body: JSON.stringify(body) });

    const random = refusedCode();
    const refused = ['FC19', 'FC1A', 'FBE8', random, 'FBE0', 'FB1B77774142' + '00'.repeat(15)];
    for (const hex of refused) {
      for (const subTWC of [undefined, '4243']) {
        const answer = await post({ commandName: 'Custom', customCommand: hex, subTWC });
        assert.equal(answer.status, 400, `${hex}: ${answer.text}`);
        assert.match((answer.json() as { error: string }).error, /^refused to send /, hex);
      }
    }
    assert.equal((await post({ commandName: 'FB19' })).status, 400, 'an unknown name');
    assert.equal((await request(api, 'GET', '/api/getLastTWCResponse')).text, 'None', 'nothing accepted');

    const allowed = await post({ commandName: 'GetSerialNumber', subTWC: '4243' });
    assert.equal(allowed.status, 204);
    const reply = await poll('the reply', 5000, async () => {
      const text = (await request(api, 'GET', '/api/getLastTWCResponse')).text;
      return text.startsWith("bytearray(b'\\xfd\\xedBCB9876543210") ? text : undefined;
    });
    assert.ok(reply);
    await delay(4000);

    // The capture: every frame the master put on the bus since the first refused command.
    const decoder = new FrameDecoder({ accept: 'request' });
    const frames = sim.heard
      .slice(from)
      .flatMap((c) => decoder.push(c.bytes, c.at).map((m) => ({ at: c.at, m })));
    const raw = Buffer.concat(sim.heard.slice(from).map((c) => c.bytes)).toString('hex');
    for (const hex of refused.slice(0, 4))
      assert.ok(!raw.includes(`c0${hex.toLowerCase()}`), `${hex} is nowhere in the capture`);
    for (const { m } of frames)
      assert.ok(ENCODED_CODES.has((m[0] << 8) | m[1]), `${formatHex(m)} is a frame the master sends`);
    const asked = frames.filter(({ m }) => m[0] === 0xfb && m[1] === 0xed);
    assert.equal(asked.length, 1, 'the allowed query once');
    assert.equal(formatHex(asked[0].m.subarray(0, 6)), 'FB ED 77 77 42 43');
    assert.ok(frames.every(({ m }) => m.length <= 20));
    for (const id of [A, B]) {
      const at = frames
        .map(({ at: t, m }) => ({ t, d: decodeMessage(m) }))
        .filter(({ d }) => d.kind === 'masterHeartbeat' && d.receiver === id)
        .map(({ t }) => t);
      const gaps = at.slice(1).map((t, i) => t - at[i]);
      assert.ok(at.length >= 4, `heartbeats to ${id.toString(16)}: ${at.length}`);
      assert.ok(Math.max(...gaps) < 1600, `heartbeat gaps to ${id.toString(16)}: ${gaps.join(', ')}`);
    }
  });
});
