/**
 * The bookkeeping every sender does the same way, kept once: its typed events, its counters, and
 * the two checks before a message goes anywhere (a closed sender fails it as `closed`, one that
 * cannot be encoded fails as `encode`). A sender owns one ledger and keeps only what is its own:
 * how bytes reach the monitor.
 */
import { TypedEmitter } from '../core/emitter.js';
import type { Message } from '../protocol/message.js';
import {
  SendError,
  emptyStats,
  errorText,
  type SendErrorReason,
  type SenderEvents,
  type SenderStats,
} from './sender.js';

export class SendLedger {
  readonly events = new TypedEmitter<SenderEvents>();
  private readonly counters: SenderStats = emptyStats();

  /** `target` is the URL as given, named in every event and error. */
  constructor(readonly target: string) {}

  /**
   * The checks before a send: returns the encoding of `msg`, or undefined when the sender is
   * closed or `encode` throws (the message is then counted as failed and emitted as an error).
   */
  admit<T>(msg: Message, closed: boolean, encode: (msg: Message) => T): T | undefined {
    if (closed) {
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
  sent(message: Message, bytes: number): void {
    this.counters.sent++;
    this.counters.bytes += bytes;
    this.events.emit('sent', { target: this.target, message, bytes });
  }

  /** A message (or, without one, the sender's socket) failed: counted and emitted. */
  fail(reason: SendErrorReason, text: string, message?: Message, cause?: unknown): void {
    const error = new SendError(
      reason,
      this.target,
      text,
      cause === undefined ? undefined : { cause },
    );
    this.failWith(error, message);
  }

  /** As `fail`, for an error made elsewhere (a timeout noticed before the failure). */
  failWith(error: SendError, message?: Message): void {
    this.counters.failed++;
    this.events.emit('error', {
      target: this.target,
      error,
      ...(message !== undefined ? { message } : {}),
    });
  }

  /** A waiting message was replaced by a newer one before it could be sent. */
  replaced(): void {
    this.counters.replaced++;
  }

  /** A connection-oriented sender connected: counted and emitted. */
  connected(): void {
    this.counters.connects++;
    this.events.emit('connect', { target: this.target });
  }

  stats(): SenderStats {
    return { ...this.counters };
  }
}
