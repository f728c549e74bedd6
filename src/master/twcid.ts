// The one definition lives in src/protocol; engine.ts and slave-record.ts still import it from here.
export { formatTwcId, parseTwcId } from '../protocol/twcid';
