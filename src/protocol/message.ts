/**
 * The messages agents send to monitors, independent of their encoding (binary v1, JSON, or the
 * plain text line). See docs/PROTOCOL.md.
 */

/** A metric value in a payload: a finite number or a short string. */
export type PayloadValue = number | string;

/**
 * Optional small payload: load, memory, version, custom metrics. Bounded by MAX_PAYLOAD_* in
 * core/limits.ts.
 */
export type Payload = Record<string, PayloadValue>;

export type MessageType = 'heartbeat' | 'leave';

/**
 * One decoded message. Binary and JSON heartbeats carry every numbered field; the plain text
 * line (`node1\n`) carries only the node id, so the numbered fields are optional.
 */
export interface Message {
  type: MessageType;
  /** The sender's id, UTF-8, at most MAX_NODE_ID_BYTES bytes, no control characters. */
  nodeId: string;
  /** Changes every time the sender's process starts (u32): a new one means a restart. */
  incarnation?: number;
  /** Counts heartbeats within one incarnation (u32, starting at 1): gaps are losses. */
  seq?: number;
  /** The sender's wall clock at send time, ms since the Unix epoch. */
  sentAtMs?: number;
  /** The interval at which the sender sends, ms: bootstraps the monitor's detector. */
  intervalMs?: number;
  payload?: Payload;
  /**
   * Set by the binary decoder, never by a sender: the id of the key whose MAC this message
   * carried and the decoder checked (docs/PROTOCOL.md, "Authenticated messages"). Undefined for
   * an unauthenticated message. Encoders ignore it.
   */
  authKeyId?: number;
}
