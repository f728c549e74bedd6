import type { ActivePolicy } from '../policy/charge-policy';
import type { PolicySettings } from '../policy/settings';
import type { InstallationSettings } from './installation';

/**
 * GET /api/getConfig: the twc-master settings in TWCManager's branches, and the home location in a branch
 * of its own (docs/api.md §3.3); no credential ever appears.
 */
export function getConfig(
  install: InstallationSettings,
  location: Pick<PolicySettings, 'homeLat' | 'homeLon'>,
): Record<string, unknown> {
  return {
    config: {
      wiringMaxAmpsAllTWCs: install.wiringMaxAmpsAllTWCs,
      wiringMaxAmpsPerTWC: install.wiringMaxAmpsPerTWC,
      minAmpsPerTWC: install.minAmpsPerTWC,
      defaultVoltage: install.defaultVoltage,
      numberOfPhases: install.numberOfPhases,
      fakeMaster: 1,
      fakeTWCID: install.fakeTWCID,
    },
    interface: {
      RS485: { enabled: install.transport === 'serial', port: install.serialPort, baud: install.baud },
      TCP: { enabled: install.transport === 'tcp', host: install.host, port: install.tcpPort },
      Simulator: { enabled: install.transport === 'simulator', slaves: install.simulatedSlaves },
    },
    control: { HTTP: { enabled: install.httpEnabled, listenPort: install.listenPort } },
    policy: {},
    settings: { homeLat: location.homeLat, homeLon: location.homeLon },
  };
}

/** GET /api/getPolicy: TWCManager's default policy list, in evaluation order (docs/api.md §3.4). */
export function getPolicy(): Record<string, unknown>[] {
  const green = {
    background_task: 'checkGreenEnergy',
    allowed_flex: 'config.greenEnergyFlexAmps',
    charge_limit: 'config.greenEnergyLimit',
  };
  return [
    {
      name: 'Charge Now',
      match: ['settings.chargeNowAmps', 'settings.chargeNowTimeEnd', 'settings.chargeNowTimeEnd'],
      condition: ['gt', 'gt', 'gt'],
      value: [0, 0, 'now'],
      charge_amps: 'settings.chargeNowAmps',
      charge_limit: 'config.chargeNowLimit',
    },
    {
      name: 'Scheduled Charging',
      match: ['checkScheduledCharging()'],
      condition: ['eq'],
      value: [1],
      charge_amps: 'settings.scheduledAmpsMax',
      charge_limit: 'config.scheduledLimit',
    },
    {
      name: 'Track Green Energy',
      match: ['tm_hour', 'tm_hour', 'settings.hourResumeTrackGreenEnergy', 'settings.nonScheduledAction'],
      condition: ['gte', 'lt', 'lte', 'ne'],
      value: ['settings.sunrise', 'settings.sunset', 'tm_hour', 2],
      ...green,
    },
    {
      name: 'Non Scheduled Charging',
      match: ['settings.nonScheduledAction'],
      condition: ['lt'],
      value: [3],
      charge_amps: 'settings.nonScheduledAmpsMax',
      charge_limit: 'config.nonScheduledLimit',
    },
    {
      name: 'Track Green Energy',
      match: ['settings.nonScheduledAction'],
      condition: ['eq'],
      value: [3],
      ...green,
    },
  ];
}

/** GET /api/getActivePolicyAction: 3 green, 2 "do not charge" (0 A when nothing is scheduled), else 1. */
export function getActivePolicyAction(active: ActivePolicy | undefined): 1 | 2 | 3 | null {
  return active ? active.action : null;
}
