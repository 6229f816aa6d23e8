/**
 * What every sender does the same way, kept once: its typed events and counters, an idempotent
 * `close`, the two checks before a message goes anywhere (a closed sender fails it as
 * `closed`, one that cannot be encoded fails as `encode`), and the binary frame of a message,
 * signed when the sender has a keyring. A sender extends it and keeps only
 * what is its own: how the bytes reach the monitor, and how it shuts down.
 */
import type { Clock } from '../core/clock.js';
import { TypedEmitter } from '../core/emitter.js';
import { ConfigError } from '../core/errors.js';
import { encodeBinary } from '../protocol/binary.js';
import type { Keyring } from '../protocol/keyring.js';
import type { Message } from '../protocol/message.js';
import {
  SendError,
  emptyStats,
  errorText,
  type HeartbeatSender,
  type SendErrorReason,
  type SenderComponents,
  type SenderEvents,
  type SenderStats,
} from './sender.js';
import type { Target } from './target.js';

export abstract class BaseSender<T extends Target = Target> implements HeartbeatSender {
  readonly events = new TypedEmitter<SenderEvents>();
  protected readonly clock: Clock;
  private readonly keyring: Keyring | undefined;
  private readonly counters: SenderStats = emptyStats();
  private closing: Promise<void> | undefined;

  constructor(
    components: SenderComponents,
    readonly target: T,
  ) {
    this.clock = components.clock;
    this.keyring = components.keyring;
  }

  /**
   * `msg` as one binary frame: v1, or with a keyring v2 signed with the node's signing key.
   * Throws ConfigError when the keyring has none for the node (or the message is not valid).
   */
  protected readonly encodeFrame = (msg: Message): Buffer => {
    const keyring = this.keyring;
    if (keyring === undefined) return encodeBinary(msg);
    const key = keyring.signingKey(msg.nodeId);
    if (key === undefined) {
      throw new ConfigError(
        `the keyring has no primary key for node ${JSON.stringify(msg.nodeId)}`,
      );
    }
    return encodeBinary(msg, key);
  };

  abstract send(msg: Message): void;

  /** The first call runs `shutdown`; every call returns its promise. */
  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  stats(): SenderStats {
    return { ...this.counters };
  }

  /** Delivers what can still be delivered within its timeout, then releases everything. */
  protected abstract shutdown(): Promise<void>;

  /** True once `close` was called: from then on every send fails as `closed`. */
  protected get isClosing(): boolean {
    return this.closing !== undefined;
  }

  /**
   * The checks before a send: returns the encoding of `msg`, or undefined when the sender is
   * closing or `encode` throws (the message is then counted as failed and emitted as an error).
   */
  protected admit<E>(msg: Message, encode: (msg: Message) => E): E | undefined {
    if (this.isClosing) {
      this.fail('closed', 'sender is closed', msg);
      return undefined;
    }
    try {
      return encode(msg);
    } catch (error) {
      this.fail('encode', errorText(error), msg, error);
      return undefined;
    }
  }

  /** A message reached the network (or the monitor accepted it): counted and emitted. */
  protected delivered(message: Message, bytes: number): void {
    this.counters.sent++;
    this.counters.bytes += bytes;
    this.events.emit('sent', { target: this.target.url, message, bytes });
  }

  /** A message (or, without one, the sender's socket) failed: counted and emitted. */
  protected fail(reason: SendErrorReason, text: string, message?: Message, cause?: unknown): void {
    const options = cause === undefined ? undefined : { cause };
    this.counters.failed++;
    this.events.emit('error', {
      target: this.target.url,
      error: new SendError(reason, this.target.url, text, options),
      ...(message !== undefined ? { message } : {}),
    });
  }

  /** A waiting message was replaced by a newer one before it could be sent. */
  protected replaced(): void {
    this.counters.replaced++;
  }

  /** A connection-oriented sender connected: counted and emitted. */
  protected countConnect(): void {
    this.counters.connects++;
    this.events.emit('connect', { target: this.target.url });
  }
}
