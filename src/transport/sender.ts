/**
 * The agent's side of a transport: something that takes a message and gets it to one monitor as
 * best it can. Senders never throw out of `send` and never queue without bound: a heartbeat is
 * only worth sending while it is fresh, so each keeps at most the newest message it could not
 * send yet. Failures are counted in `stats()` and emitted as `error` events.
 */
import type { Clock } from '../core/clock.js';
import { HeartbeatError } from '../core/errors.js';
import type { TypedEmitter } from '../core/emitter.js';
import type { Rng } from '../core/rng.js';
import type { Keyring } from '../protocol/keyring.js';
import type { Message } from '../protocol/message.js';
import type { Target } from './target.js';

/** Counters of one sender since it was created. */
export interface SenderStats {
  /** Messages handed to the network (UDP, TCP) or accepted by the monitor (HTTP 2xx). */
  sent: number;
  /** Bytes of the messages counted in `sent`. */
  bytes: number;
  /** Messages that failed (socket error, timeout, HTTP error status, could not be encoded). */
  failed: number;
  /** Messages replaced by a newer one before they could be sent (disconnected, busy). */
  replaced: number;
  /** Successful connections (TCP), including the first. */
  connects: number;
}

/** Why a send failed; callers branch on this, never on the message text. */
export type SendErrorReason =
  | 'encode'
  | 'resolve'
  | 'socket'
  | 'connect'
  | 'disconnected'
  | 'timeout'
  | 'http-status'
  | 'closed';

/** A message could not be delivered to one target. */
export class SendError extends HeartbeatError {
  constructor(
    readonly reason: SendErrorReason,
    /** The target URL, as given. */
    readonly target: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(`send:${reason}`, `${target}: ${message}`, options);
  }
}

export interface SentEvent {
  target: string;
  message: Message;
  bytes: number;
}

export interface SenderErrorEvent {
  target: string;
  error: SendError;
  /** The message that failed, when the failure concerns one. */
  message?: Message;
}

export interface SenderEvents extends Record<string, unknown> {
  sent: SentEvent;
  error: SenderErrorEvent;
  /** A connection-oriented sender (TCP) connected; heartbeats flow again. */
  connect: { target: string };
  /** A connection-oriented sender (TCP) lost its connection; it will reconnect. */
  disconnect: { target: string; error?: Error };
}

export interface HeartbeatSender {
  readonly target: Target;
  /** Typed events: `sent`, `error`, and for TCP `connect` and `disconnect`. */
  readonly events: TypedEmitter<SenderEvents>;
  /** Sends `msg` as soon as it can, or keeps it as the one pending message. Never throws. */
  send(msg: Message): void;
  /**
   * Delivers the pending message if it can within its timeout, then releases sockets and
   * timers. Idempotent; later `send` calls are counted as failed (`closed`).
   */
  close(): Promise<void>;
  stats(): SenderStats;
}

export interface SenderComponents {
  clock: Clock;
  /** Jitter of reconnect delays. @default Math.random */
  rng?: Rng;
  /**
   * Binary senders (UDP, TCP, memory) sign every message with the node's signing key of this
   * keyring, as it is at each message (a reload changes it in place): binary v2. A keyring with
   * no signing key for the node fails each message as `encode`. @default none: binary v1.
   */
  keyring?: Keyring;
}

/** Zeroed counters. */
export function emptyStats(): SenderStats {
  return { sent: 0, bytes: 0, failed: 0, replaced: 0, connects: 0 };
}

/** The default random source when none is injected. */
export const mathRandom: Rng = { next: () => Math.random() };

/** The message of an unknown thrown value, for error texts. */
export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
