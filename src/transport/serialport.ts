import type * as Serial from 'serialport';

let loaded: typeof Serial | undefined;

/**
 * The serialport package, loaded on first use. Loading it loads its native binding and every parser it
 * ships (about 150 ms of Node-RED's start on a 2-core machine, BENCHMARKS.md "Start-up"), and only a
 * serial bus and the editor's port list need it, so a flow on the simulator or TCP never pays for it.
 */
export function serialPortClass(): typeof Serial.SerialPort {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  loaded ??= require('serialport') as typeof Serial;
  return loaded.SerialPort;
}
