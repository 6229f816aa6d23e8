/**
 * A listener on a MemoryNetwork address: what the network delivers there goes to the monitor's
 * sink, as from a UDP socket. It checks every message as a decoder would (anything can be put on
 * a MemoryNetwork, not only what a MemorySender encoded), so the sink sees only valid messages
 * and the rest as rejections with the validator's reason.
 */
import { StateError } from '../core/errors.js';
import { checkMessage } from '../protocol/index.js';
import type {
  HeartbeatListener,
  ListenerComponents,
  ListenerFactory,
  ListenerSink,
  Peer,
  TransportName,
} from './listener.js';
import type { MemoryNetwork } from './memory-network.js';

export interface MemoryListenerOptions {
  network: MemoryNetwork;
  /** The address to listen at, e.g. `monitor:9000` (see memoryAddressOf). */
  address: string;
  /**
   * The transport peers are reported with, so the monitor counts them as it would real ones.
   * @default 'udp' — the network, like UDP, carries single messages that may be delayed or lost.
   */
  transport?: TransportName;
}

/** A factory of memory listeners with these settings, for the monitor. */
export function memoryListener(init: MemoryListenerOptions): ListenerFactory {
  return (components) => new MemoryHeartbeatListener(components, init);
}

export class MemoryHeartbeatListener implements HeartbeatListener {
  readonly transport: TransportName;
  readonly address: string;
  private readonly sink: ListenerSink;
  private readonly network: MemoryNetwork;
  private unlisten: (() => void) | null = null;

  constructor(components: ListenerComponents, init: MemoryListenerOptions) {
    this.sink = components.sink;
    this.network = init.network;
    this.address = init.address;
    this.transport = init.transport ?? 'udp';
  }

  /** Starts taking what the network delivers to `address`; there is no port (null). */
  start(): Promise<null> {
    if (this.unlisten !== null) {
      return Promise.reject(
        new StateError(`memory listener at ${this.address}`, 'running', 'start'),
      );
    }
    this.unlisten = this.network.listen(this.address, (message, from) => {
      const peer: Peer = { transport: this.transport, address: from.address, port: 0 };
      const invalid = checkMessage(message, false);
      if (invalid !== undefined) this.sink.onReject(invalid.reason, peer);
      else this.sink.onMessage(message, peer);
    });
    return Promise.resolve(null);
  }

  stop(): Promise<void> {
    this.unlisten?.();
    this.unlisten = null;
    return Promise.resolve();
  }
}
