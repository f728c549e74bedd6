import { BAUD_RATE } from '../protocol/tables';

/**
 * How a serial port must be opened to talk to Wall Connectors: 8 data bits, no parity, 1 stop bit, at
 * 9600 baud unless the user picked another rate (docs/protocol.md §1). The master's serial transport and
 * the simulator's command line both open their port with these.
 */
export const SERIAL_LINE = { baudRate: BAUD_RATE, dataBits: 8, parity: 'none', stopBits: 1 } as const;
