/**
 * An in-memory network for tests and the simulator: endpoints by address, messages delivered
 * after a delay through the injected clock (with ManualClock: exactly when due, in order), lost
 * by a loss rule, and cut by partitions. Ordinary code, like memberlist's mock transport, so
 * tests and tools can wire senders and monitors together without sockets.
 *
 * Delays and losses are functions the caller supplies (the simulator draws them from a seeded
 * generator); a message sent across a partition is dropped at send time, while one already in
 * flight when a partition starts is still delivered, as on a real link whose queue drains.
 */
import type { Clock } from '../core/clock.js';
import type { Message } from '../protocol/message.js';

/** Receives a delivered message and the sender's address. */
export type MemoryListener = (message: Message, from: { address: string }) => void;

/** What happened to one message at send time. */
export type MemorySendOutcome = 'in-flight' | 'lost' | 'partitioned' | 'no-route';

export interface MemoryNetworkOptions {
  /**
   * One-way delay of a message in ms, drawn per message.
   * @default () => 0: delivered at the current time, after whatever is already due.
   */
  delayMs?: (from: string, to: string, message: Message) => number;
  /**
   * Whether a message is lost, decided per message.
   * @default () => false: a perfect link; losses are the caller's model.
   */
  lose?: (from: string, to: string, message: Message) => boolean;
  /**
   * Receives what a listener throws (a throwing listener never stops the network or the clock).
   * @default counted in `stats().listenerErrors` and otherwise ignored.
   */
  onListenerError?: (error: unknown) => void;
}

/** Counters of the network since it was created. */
export interface MemoryNetworkStats {
  sent: number;
  delivered: number;
  lost: number;
  partitioned: number;
  /** Sent to an address with no listener, or whose listener closed before delivery. */
  undeliverable: number;
  listenerErrors: number;
}

interface Partition {
  a: ReadonlySet<string>;
  b: ReadonlySet<string>;
}

export class MemoryNetwork {
  private readonly clock: Clock;
  private readonly delayOf: NonNullable<MemoryNetworkOptions['delayMs']>;
  private readonly lose: NonNullable<MemoryNetworkOptions['lose']>;
  private readonly listeners = new Map<string, MemoryListener>();
  private readonly partitions = new Set<Partition>();
  private readonly counters: MemoryNetworkStats = {
    sent: 0,
    delivered: 0,
    lost: 0,
    partitioned: 0,
    undeliverable: 0,
    listenerErrors: 0,
  };
  private readonly onListenerError: ((error: unknown) => void) | undefined;

  constructor(components: { clock: Clock }, init: MemoryNetworkOptions = {}) {
    this.clock = components.clock;
    this.delayOf = init.delayMs ?? (() => 0);
    this.lose = init.lose ?? (() => false);
    this.onListenerError = init.onListenerError;
  }

  /** Receives messages sent to `address`; returns a function that stops listening. */
  listen(address: string, listener: MemoryListener): () => void {
    this.listeners.set(address, listener);
    return () => {
      if (this.listeners.get(address) === listener) this.listeners.delete(address);
    };
  }

  /**
   * Sends a message; it arrives `delayMs` later (from the options, or `delayMs` given here) unless
   * lost or partitioned. Never throws.
   */
  send(from: string, to: string, message: Message, delayMs?: number): MemorySendOutcome {
    this.counters.sent++;
    if (!this.listeners.has(to)) {
      this.counters.undeliverable++;
      return 'no-route';
    }
    if (this.isPartitioned(from, to)) {
      this.counters.partitioned++;
      return 'partitioned';
    }
    if (this.lose(from, to, message)) {
      this.counters.lost++;
      return 'lost';
    }
    const delay = delayMs ?? this.delayOf(from, to, message);
    this.clock.setTimeout(() => this.deliver(from, to, message), Math.max(0, delay));
    return 'in-flight';
  }

  /**
   * Cuts every link between a member of `a` and a member of `b` (both ways) until the returned
   * function is called (or `heal()`).
   */
  partition(a: readonly string[], b: readonly string[]): () => void {
    const p: Partition = { a: new Set(a), b: new Set(b) };
    this.partitions.add(p);
    return () => {
      this.partitions.delete(p);
    };
  }

  /** Removes every partition. */
  heal(): void {
    this.partitions.clear();
  }

  isPartitioned(from: string, to: string): boolean {
    for (const p of this.partitions) {
      if ((p.a.has(from) && p.b.has(to)) || (p.b.has(from) && p.a.has(to))) return true;
    }
    return false;
  }

  stats(): MemoryNetworkStats {
    return { ...this.counters };
  }

  private deliver(from: string, to: string, message: Message): void {
    const listener = this.listeners.get(to);
    if (listener === undefined) {
      this.counters.undeliverable++;
      return;
    }
    this.counters.delivered++;
    try {
      listener(message, { address: from });
    } catch (error) {
      this.counters.listenerErrors++;
      this.onListenerError?.(error);
    }
  }
}
