/**
 * A sender over a MemoryNetwork instead of a socket, so an Agent and a monitor (or a bare
 * NodeTable behind a MemoryHeartbeatListener) can be wired together in one process, on a
 * ManualClock, with no port. Each message is encoded as binary v1 (v2, signed, with a keyring)
 * and what travels is its decoding: the listener gets exactly what a UDP datagram would have carried, and a message that
 * cannot be encoded fails here as it would on the wire.
 *
 * Like UDP it keeps nothing: a message is handed to the network at once (the network's delay and
 * loss model is the link), so nothing waits to be replaced. A message to an address where no one
 * listens fails (`socket`), as a datagram to a closed port would be refused.
 */
import { decodeBinary } from '../protocol/index.js';
import type { Keyring } from '../protocol/keyring.js';
import type { Message } from '../protocol/message.js';
import type { MemoryNetwork } from './memory-network.js';
import { BaseSender } from './base-sender.js';
import type { HeartbeatSender, SenderComponents } from './sender.js';
import type { Target } from './target.js';

export interface MemorySenderComponents extends SenderComponents {
  network: MemoryNetwork;
}

export interface MemorySenderOptions {
  /** This sender's address on the network: the listener reports it as the peer's address. */
  from: string;
  /**
   * The listener's address.
   * @default `host:port` of the target, so `udp://monitor:9000` reaches a listener at
   * `monitor:9000` whatever the scheme.
   */
  to?: string;
}

/** The address a target reaches on a MemoryNetwork when none is given. */
export function memoryAddressOf(target: Target): string {
  return `${target.host}:${target.port}`;
}

/** A factory of memory senders from one address, for `new Agent({ createSender })`. */
export function memorySenders(
  components: MemorySenderComponents,
  init: MemorySenderOptions,
): (target: Target) => HeartbeatSender {
  return (target) => new MemorySender(components, target, init);
}

export class MemorySender extends BaseSender {
  private readonly network: MemoryNetwork;
  private readonly from: string;
  private readonly to: string;
  private readonly keys: Keyring | undefined;

  constructor(components: MemorySenderComponents, target: Target, init: MemorySenderOptions) {
    super(components, target);
    this.keys = components.keyring;
    this.network = components.network;
    this.from = init.from;
    this.to = init.to ?? memoryAddressOf(target);
  }

  send(msg: Message): void {
    const bytes = this.admit(msg, this.encodeFrame);
    if (bytes === undefined) return;
    // A signed frame decodes under the sender's own keys: what travels carries its key id.
    if (this.network.send(this.from, this.to, decodeBinary(bytes, this.keys)) === 'no-route') {
      this.fail('socket', `no listener at ${this.to}`, msg);
      return;
    }
    this.delivered(msg, bytes.length);
  }

  /** Nothing waits in a memory sender: what was sent is on the network already. */
  protected shutdown(): Promise<void> {
    return Promise.resolve();
  }
}
