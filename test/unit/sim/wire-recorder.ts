import { ManualClock } from '../../../src/clock';
import { decodeMessage, encodeFrame, FrameDecoder, type TwcMessage } from '../../../src/protocol';
import { SimulatedBus, type SimulatedBusOptions } from '../../../src/sim/bus';

export const M = 0x7777;
/** One byte at 9600 baud 8N1, worked out here rather than taken from the code under test. */
const BYTE_MS = (10 / 9600) * 1000;

/** The same linear congruential generator the older simulator tests use, so runs are reproducible. */
export const seeded = (seed: number) => () => {
  seed = (seed * 1103515245 + 12345) % 2 ** 31;
  return seed / 2 ** 31;
};

export function heartbeat(receiver: number, amps: number, command = 9, version: 1 | 2 = 2): TwcMessage {
  return { kind: 'masterHeartbeat', sender: M, receiver, command, amps, masterPluggedIn: false, version };
}

export type SlaveHeartbeat = Extract<TwcMessage, { kind: 'slaveHeartbeat' }>;

export interface Heard {
  at: number;
  msg: TwcMessage;
  /** The unescaped message, checksum included. */
  raw: Uint8Array;
}

/**
 * A started bus on a ManualClock, with everything that reaches the wire kept for the assertions that
 * follow a run: the chunks as emitted, with their times, and the messages a decoder finds in them.
 */
export function rig(
  slaves: ConstructorParameters<typeof SimulatedBus>[0],
  options: SimulatedBusOptions = {},
) {
  const clock = new ManualClock(0);
  const bus = new SimulatedBus(slaves, clock, options);
  const decoder = new FrameDecoder();
  const chunks: { at: number; bytes: Uint8Array }[] = [];
  const heard: Heard[] = [];
  const sentBytes: number[] = [];
  bus.on('data', (chunk) => {
    chunks.push({ at: clock.now(), bytes: Uint8Array.from(chunk) });
    for (const m of decoder.push(chunk)) heard.push({ at: clock.now(), msg: decodeMessage(m), raw: m });
  });
  bus.on('sent', (msg) => sentBytes.push(encodeFrame(msg).length + (options.padByte === undefined ? 0 : 1)));
  bus.start();
  const send = (msg: TwcMessage) => bus.write(encodeFrame(msg));
  return { clock, bus, decoder, chunks, heard, sentBytes, send };
}

export const slaveHeartbeats = (heard: Heard[], sender?: number): (Heard & { msg: SlaveHeartbeat })[] =>
  heard.filter(
    (h): h is Heard & { msg: SlaveHeartbeat } =>
      h.msg.kind === 'slaveHeartbeat' && (sender === undefined || h.msg.sender === sender),
  );

/** Chunks that start before the previous one has left a 9600 baud wire; empty when none overlap. */
export function overlaps(chunks: { at: number; bytes: Uint8Array }[]): string[] {
  const found: string[] = [];
  for (let i = 1; i < chunks.length; i++) {
    const end = chunks[i - 1].at + chunks[i - 1].bytes.length * BYTE_MS;
    if (chunks[i].at < end - 1e-9) found.push(`chunk ${i} at ${chunks[i].at} ms, previous ends at ${end} ms`);
  }
  return found;
}
