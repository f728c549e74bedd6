import type { SlaveSnapshot } from '../master/slave-record';
import { busDiscovery, twcDiscovery, type DiscoverySettings } from './discovery';
import { busOnline, OFFLINE, stateTopics, twcTopics, type BusView, type MqttMessage } from './topics';

export interface PublisherSettings extends DiscoverySettings {
  /** Publish Home Assistant's discovery configs too (docs/api.md §7.5). */
  discovery: boolean;
}

const isAvailability = (topic: string): boolean => topic.endsWith('/availability');

/**
 * What goes to the broker, as retained messages: each status topic when its payload changes, each
 * discovery config when it is new or changed. It remembers what it sent, so a bus heartbeat that changes
 * one value costs one message (docs/api.md §7.1).
 */
export class MqttPublisher {
  private readonly states = new Map<string, string>();
  private readonly configs = new Map<string, string>();
  private lastView: BusView | undefined;

  constructor(readonly settings: PublisherSettings) {}

  /** The messages that bring the broker up to `view`. */
  update(view: BusView): MqttMessage[] {
    this.lastView = view;
    const out: MqttMessage[] = [];
    if (this.settings.discovery) {
      const configs = [
        ...busDiscovery(this.settings, view.install),
        ...view.snapshot.slaves.flatMap((s) => twcDiscovery(this.settings, s.TWCID)),
      ];
      for (const c of configs) {
        const json = JSON.stringify(c.config);
        if (this.configs.get(c.topic) === json) continue;
        this.configs.set(c.topic, json);
        out.push({ topic: c.topic, payload: json, retain: true, qos: 1 });
      }
    }
    const wanted = stateTopics(view, this.settings.prefix);
    // A Wall Connector gone from the list without leaving for good (the bus is down): it shows unavailable.
    for (const [topic, payload] of this.states)
      if (!wanted.has(topic) && isAvailability(topic) && payload !== OFFLINE) wanted.set(topic, OFFLINE);
    for (const [topic, payload] of wanted) {
      if (this.states.get(topic) === payload) continue;
      this.states.set(topic, payload);
      out.push({ topic, payload, retain: true, qos: isAvailability(topic) ? 1 : 0 });
    }
    return out;
  }

  /** Everything again, as after a restart of Home Assistant or of the broker. */
  republish(view: BusView): MqttMessage[] {
    this.states.clear();
    this.configs.clear();
    return this.update(view);
  }

  /**
   * A Wall Connector stopped answering. On a working bus it has left for good: its retained configs and
   * topics are cleared, so Home Assistant drops its device. With the bus down it is the bus, not the unit:
   * it only turns unavailable (docs/api.md §7.5).
   */
  removed(slave: SlaveSnapshot): MqttMessage[] {
    if (this.lastView && !busOnline(this.lastView.snapshot)) return [];
    const out: MqttMessage[] = [];
    const clear = (topic: string, qos: 0 | 1): void => {
      out.push({ topic, payload: '', retain: true, qos });
    };
    if (this.settings.discovery)
      for (const c of twcDiscovery(this.settings, slave.TWCID)) {
        this.configs.delete(c.topic);
        clear(c.topic, 1);
      }
    for (const topic of twcTopics(this.settings.prefix, slave.TWCID)) {
      this.states.delete(topic);
      clear(topic, 0);
    }
    return out;
  }

  /** The node stops: the bus is unavailable from now on (until the next start publishes it again). */
  closing(): MqttMessage[] {
    return [...this.states.keys()]
      .filter(isAvailability)
      .map((topic) => ({ topic, payload: OFFLINE, retain: true, qos: 1 as const }));
  }
}
