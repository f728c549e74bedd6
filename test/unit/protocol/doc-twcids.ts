// The TWCIDs of docs/protocol.md §8, for vectors.spec.ts and captures.spec.ts: master 7777, slave 4142.
export const M = 0x7777;
export const S = 0x4142;
