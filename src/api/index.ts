export { getStatus } from './status-view';
export { getSlaveTWCs } from './slaves-view';
export { getConfig, getPolicy, getActivePolicyAction } from './config-view';
export { type InstallationSettings, fixed2 } from './installation';
export * from './requests';
