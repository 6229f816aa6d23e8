/**
 * The monitor's side of a transport, as a contract: a listener takes input from the network (or
 * from an in-memory network), decodes it and reports each message, or each refusal with its
 * reason, to a sink. The monitor is given listeners as factories of `(components) => listener`,
 * so it never needs to know which transports exist; UDP, TCP and the in-memory network each
 * provide one (`udpListener`, `tcpListener`, `memoryListener`).
 */
import type { Clock } from '../core/clock.js';
import type { DecodeErrorReason } from '../core/errors.js';
import type { KeyLookup } from '../protocol/keyring.js';
import type { Message } from '../protocol/message.js';
import type { UdpKernelStats } from './udp-kernel-stats.js';

/** The wire a message came over. */
export type TransportName = 'udp' | 'tcp' | 'http';

/** Where a message came from. */
export interface Peer {
  transport: TransportName;
  /** The sender's IP address as the socket saw it (the sender's name on an in-memory network). */
  address: string;
  port: number;
}

/** Why a listener refused input; decode reasons come from the protocol's DecodeError. */
export type RejectReason =
  | DecodeErrorReason
  /** A TCP connection beyond MAX_TCP_CONNECTIONS was refused. */
  | 'connection-limit'
  /** A connection beyond MAX_CONNECTIONS_PER_SOURCE from one address was refused. */
  | 'source-connection-limit'
  /** A TCP connection was closed because it sent too much it could not frame or decode. */
  | 'connection-garbage'
  /** A decoder threw something other than DecodeError (a bug; the input is still dropped). */
  | 'internal';

/** What listeners report to: the monitor wires this to the node table and its counters. */
export interface ListenerSink {
  onMessage(message: Message, from: Peer): void;
  onReject(reason: RejectReason, from: Peer): void;
}

/** One source of heartbeats for the monitor. */
export interface HeartbeatListener {
  /** The transport its peers are reported with. */
  readonly transport: TransportName;
  /**
   * Starts listening; resolves with the bound port, or null for a listener without one (the
   * in-memory network). Rejects when it cannot listen (a port in use, an address not here).
   */
  start(): Promise<number | null>;
  /** Stops listening and releases what it holds. Idempotent. */
  stop(): Promise<void>;
  /**
   * What the kernel dropped or capped for this listener's socket (UDP only; see
   * udp-kernel-stats.ts); null when not listening. Absent on listeners without such a socket.
   */
  kernelStats?(): Promise<UdpKernelStats | null>;
}

/** What the monitor hands every listener it creates. */
export interface ListenerComponents {
  clock: Clock;
  sink: ListenerSink;
  /**
   * The keys authenticated (binary v2) frames are checked against, as they are at each message
   * (the monitor's keyring, which a reload changes in place). @default none: every v2 frame is
   * refused as `unknown-key`.
   */
  keys?: KeyLookup;
}

/** Makes a listener from the monitor's components; the transport's own settings are bound in. */
export type ListenerFactory = (components: ListenerComponents) => HeartbeatListener;
