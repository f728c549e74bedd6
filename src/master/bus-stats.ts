import type { DecoderStats } from '../protocol/frame-decoder';
import type { BusStats } from './types';

/** The counters the engine keeps itself; the decoder's and the transport's are read when asked. */
export type EngineCounters = Omit<BusStats, 'checksumErrors' | 'badFrames' | 'garbageBytes' | 'reconnects'>;

export const newEngineCounters = (): EngineCounters => ({
  framesIn: 0,
  framesOut: 0,
  echoes: 0,
  unknownMessages: 0,
  missedReplies: 0,
  doubledReplies: 0,
  droppedWrites: 0,
});

export function busStatsOf(counters: EngineCounters, decoder: DecoderStats, reconnects: number): BusStats {
  return {
    framesIn: counters.framesIn,
    framesOut: counters.framesOut,
    checksumErrors: decoder.checksumErrors,
    badFrames: decoder.badLengths + decoder.badEscapes + decoder.overflows + decoder.timeouts,
    garbageBytes: decoder.garbageBytes,
    echoes: counters.echoes,
    unknownMessages: counters.unknownMessages,
    missedReplies: counters.missedReplies,
    doubledReplies: counters.doubledReplies,
    droppedWrites: counters.droppedWrites,
    reconnects,
  };
}
