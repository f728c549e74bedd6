import type { ViewSource } from '../api/payloads';
import type { SlaveSnapshot } from '../master/slave-record';
import { readBusView } from './bus-view';
import { mqttPrefixOf } from './command-input';
import { MqttPublisher } from './publisher';
import type { MqttMessage } from './topics';

export interface MqttOutputProps {
  payload?: string;
  mqttPrefix?: string;
  /** Home Assistant discovery: on unless turned off. */
  discovery?: boolean;
  discoveryPrefix?: string;
}

/** twc-status's MQTT output (docs/api.md §7.1): what it sends on an event, on input, when a unit leaves. */
export interface MqttOutput {
  update(): void;
  republish(): void;
  removed(slave: SlaveSnapshot): void;
  close(): void;
}

/** The MQTT output of a twc-status whose Output is "mqtt", else undefined. */
export function mqttOutput(
  props: MqttOutputProps,
  source: Omit<ViewSource, 'history'>,
  send: (messages: MqttMessage[]) => void,
): MqttOutput | undefined {
  const prefix = mqttPrefixOf(props);
  if (prefix === undefined) return undefined;
  const publisher = new MqttPublisher({
    prefix,
    discovery: props.discovery !== false,
    discoveryPrefix: (props.discoveryPrefix ?? '').trim().replace(/^\/+|\/+$/g, '') || 'homeassistant',
  });
  const emit = (messages: MqttMessage[]): void => {
    if (messages.length > 0) send(messages);
  };
  return {
    update: () => emit(publisher.update(readBusView(source, Date.now()))),
    republish: () => emit(publisher.republish(readBusView(source, Date.now()))),
    removed: (slave) => emit(publisher.removed(slave)),
    close: () => emit(publisher.closing()),
  };
}
