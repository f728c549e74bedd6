// The one definition lives in src/protocol; engine.ts, bus-warnings.ts and slave-record.ts import it from here.
export { formatTwcId, parseTwcId } from '../protocol/twcid';
