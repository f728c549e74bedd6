export * from './messages';
export * from './constants';
export { checksum, hasValidChecksum } from './checksum';
export { escape } from './escaping';
export { formatHex, parseHex } from './hex';
export { RefusedCommandError, refusalReason, assertAllowed } from './refused';
export { encodeMessage, encodeFrame, frameMessage } from './encode';
export { decodeMessage } from './decode';
export { FrameDecoder, type DecoderStats, type FrameDecoderOptions } from './frame-decoder';
