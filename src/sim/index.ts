export { SimulatedCar, type CarOptions } from './car';
export { SimulatedSlave, type SimulatedSlaveOptions, type SimulatedSlaveState } from './slave';
export { type SlaveFaults } from './faults';
export { SimulatedBus, type SimulatedBusOptions } from './bus';
export {
  type BusFaults,
  type BusFaultKind,
  type LinkReadyFlood,
  type NoiseFault,
  type AbsurdFrames,
  type SecondMaster,
} from './bus-faults';
export { seededRandom } from './random';
export { parseSlaveSpecs, specsFromArgs, simulatedVin, SimSpecError, type SlaveSpec } from './spec';
export { formatTwcId } from '../protocol/twcid';
export { vinCheckDigit } from './vin';
