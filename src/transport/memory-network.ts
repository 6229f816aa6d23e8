/**
 * An in-memory network for tests and the simulator: endpoints by address, messages delivered
 * after a delay through the injected clock (with ManualClock: exactly when due, in order), lost
 * by a loss rule, and cut by partitions. Ordinary code, like memberlist's mock transport, so
 * tests and tools can wire senders and monitors together without sockets.
 *
 * Delays and losses are functions the caller supplies (the simulator draws them from a seeded
 * generator); a message sent across a partition is dropped at send time, while one already in
 * flight when a partition starts is still delivered, as on a real link whose queue drains.
 *
 * On a ManualClock a message in flight is a pooled record scheduled on the clock (no closure, no
 * timer handle per message), so the simulator can push tens of millions through; the order is
 * the same as with one `setTimeout` per message.
 */
import { ManualClock, type Clock, type ScheduledTask } from '../core/clock.js';
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

/** A message in flight on a ManualClock; back in the network's pool once delivered. */
class InFlight implements ScheduledTask {
  from = '';
  to = '';
  message: Message | undefined = undefined;

  constructor(
    private readonly pool: InFlight[],
    private readonly deliver: (from: string, to: string, message: Message) => void,
  ) {}

  run(): void {
    const { from, to, message } = this;
    this.message = undefined;
    this.pool.push(this); // free before delivering: the listener may send again
    this.deliver(from, to, message as Message);
  }
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
  /** The clock when it is a ManualClock: deliveries are then pooled records scheduled on it. */
  private readonly manual: ManualClock | undefined;
  /** Delivered records, ready for the next message (grows to the most ever in flight). */
  private readonly pool: InFlight[] = [];
  /** The last address looked up and its listener (reset whenever a listener comes or goes). */
  private lastTo: string | undefined = undefined;
  private lastListener: MemoryListener | undefined = undefined;
  private readonly deliverBound = (from: string, to: string, message: Message): void =>
    this.deliver(from, to, message);

  constructor(components: { clock: Clock }, init: MemoryNetworkOptions = {}) {
    this.clock = components.clock;
    this.manual = components.clock instanceof ManualClock ? components.clock : undefined;
    this.delayOf = init.delayMs ?? (() => 0);
    this.lose = init.lose ?? (() => false);
    this.onListenerError = init.onListenerError;
  }

  /** Receives messages sent to `address`; returns a function that stops listening. */
  listen(address: string, listener: MemoryListener): () => void {
    this.listeners.set(address, listener);
    this.lastTo = undefined;
    return () => {
      if (this.listeners.get(address) === listener) this.listeners.delete(address);
      this.lastTo = undefined;
    };
  }

  /**
   * Sends a message; it arrives `delayMs` later (from the options, or `delayMs` given here) unless
   * lost or partitioned. Never throws.
   */
  send(from: string, to: string, message: Message, delayMs?: number): MemorySendOutcome {
    this.counters.sent++;
    if (this.listenerOf(to) === undefined) {
      this.counters.undeliverable++;
      return 'no-route';
    }
    if (this.partitions.size > 0 && this.isPartitioned(from, to)) {
      this.counters.partitioned++;
      return 'partitioned';
    }
    if (this.lose(from, to, message)) {
      this.counters.lost++;
      return 'lost';
    }
    const delay = Math.max(0, delayMs ?? this.delayOf(from, to, message));
    const manual = this.manual;
    if (manual === undefined) {
      this.clock.setTimeout(() => this.deliver(from, to, message), delay);
    } else {
      const record = this.pool.pop() ?? new InFlight(this.pool, this.deliverBound);
      record.from = from;
      record.to = to;
      record.message = message;
      manual.schedule(record, delay);
    }
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

  /** The listener at `to`, remembering the last address asked for (usually the only one). */
  private listenerOf(to: string): MemoryListener | undefined {
    if (to !== this.lastTo) {
      this.lastTo = to;
      this.lastListener = this.listeners.get(to);
    }
    return this.lastListener;
  }

  private deliver(from: string, to: string, message: Message): void {
    const listener = this.listenerOf(to);
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
