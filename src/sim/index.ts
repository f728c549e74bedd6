export { SimulatedCar, type CarOptions } from './car';
export { SimulatedSlave, type SimulatedSlaveOptions, type SimulatedSlaveState } from './slave';
export { type SlaveFaults } from './faults';
export { SimulatedBus, type SimulatedBusOptions } from './bus';
export { parseSlaveSpecs, specsFromArgs, simulatedVin, SimSpecError, type SlaveSpec } from './spec';
export { formatTwcId } from './twc-id';
export { vinCheckDigit } from './vin';
