/**
 * A sender over a MemoryNetwork instead of a socket, so an Agent and a monitor (or a bare
 * NodeTable behind a MemoryHeartbeatListener) can be wired together in one process, on a
 * ManualClock, with no port. Each message is encoded as binary v1 and what travels is its
 * decoding: the listener gets exactly what a UDP datagram would have carried, and a message that
 * cannot be encoded fails here as it would on the wire.
 *
 * Like UDP it keeps nothing: a message is handed to the network at once (the network's delay and
 * loss model is the link), so nothing waits to be replaced. A message to an address where no one
 * listens fails (`socket`), as a datagram to a closed port would be refused.
 */
import type { Clock } from '../core/clock.js';
import type { TypedEmitter } from '../core/emitter.js';
import { decodeBinary, encodeBinary } from '../protocol/index.js';
import type { Message } from '../protocol/message.js';
import type { MemoryNetwork } from './memory-network.js';
import { SendLedger } from './send-ledger.js';
import type { HeartbeatSender, SenderEvents, SenderStats } from './sender.js';
import type { Target } from './target.js';

export interface MemorySenderComponents {
  clock: Clock;
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

export class MemorySender implements HeartbeatSender {
  readonly events: TypedEmitter<SenderEvents>;
  private readonly ledger: SendLedger;
  private readonly network: MemoryNetwork;
  private readonly from: string;
  private readonly to: string;
  private closed = false;

  constructor(
    components: MemorySenderComponents,
    readonly target: Target,
    init: MemorySenderOptions,
  ) {
    this.ledger = new SendLedger(target.url);
    this.events = this.ledger.events;
    this.network = components.network;
    this.from = init.from;
    this.to = init.to ?? memoryAddressOf(target);
  }

  send(msg: Message): void {
    const bytes = this.ledger.admit(msg, this.closed, encodeBinary);
    if (bytes === undefined) return;
    if (this.network.send(this.from, this.to, decodeBinary(bytes)) === 'no-route') {
      this.ledger.fail('socket', `no listener at ${this.to}`, msg);
      return;
    }
    this.ledger.sent(msg, bytes.length);
  }

  close(): Promise<void> {
    this.closed = true;
    return Promise.resolve();
  }

  stats(): SenderStats {
    return this.ledger.stats();
  }
}
