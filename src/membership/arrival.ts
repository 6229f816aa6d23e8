/**
 * What one heartbeat means for a node, from its incarnation and sequence number alone: a pure
 * function, so the rules can be read and table-tested in one place.
 */
import type { NodeState } from './types.js';

/** The verdict on one heartbeat. */
export type ArrivalKind =
  /** Refreshes liveness; `gap` heartbeats were lost in between (0 when in order or unknown). */
  | 'fresh'
  /** The same seq as the newest seen in this incarnation: ignored, counted. */
  | 'duplicate'
  /** An older seq in this incarnation, or an older incarnation: ignored, counted. */
  | 'stale'
  /** A new incarnation: the sender's process restarted; seq tracking starts over. */
  | 'restart';

export interface ArrivalVerdict {
  kind: ArrivalKind;
  /** Heartbeats missing between the newest seen and this one (only for `fresh`). */
  gap: number;
}

/** What the table knows about the node (null = not known yet). */
export interface ArrivalHistory {
  state: NodeState;
  incarnation: number | null;
  lastSeq: number | null;
}

const FRESH: ArrivalVerdict = { kind: 'fresh', gap: 0 };
const DUPLICATE: ArrivalVerdict = { kind: 'duplicate', gap: 0 };
const STALE: ArrivalVerdict = { kind: 'stale', gap: 0 };
const RESTART: ArrivalVerdict = { kind: 'restart', gap: 0 };

/**
 * The rules:
 * - A message without an incarnation, or a node whose incarnation is not known yet, is in the
 *   current incarnation (the first incarnation heard is adopted, not a restart).
 * - A higher incarnation is a restart.
 * - A lower incarnation is a delayed packet from an earlier process while the node is `alive` or
 *   `suspect`: stale. When the node is `unknown`, `dead` or `left` it is taken as a restart: after
 *   that much silence it cannot be a reordered packet, and a sender whose incarnation source went
 *   backwards (a stepped wall clock, a lost counter file) must not be locked out forever.
 * - Within an incarnation, a message without seq (text lines, bare pings), or the first seq
 *   seen, is fresh; seq equal to the newest is a duplicate; lower is stale; higher is fresh
 *   with `seq − newest − 1` lost.
 */
export function classifyArrival(
  node: ArrivalHistory,
  incarnation: number | undefined,
  seq: number | undefined,
): ArrivalVerdict {
  if (incarnation !== undefined && node.incarnation !== null && incarnation !== node.incarnation) {
    if (incarnation > node.incarnation) return RESTART;
    return node.state === 'alive' || node.state === 'suspect' ? STALE : RESTART;
  }
  if (seq === undefined || node.lastSeq === null) return FRESH;
  if (seq === node.lastSeq) return DUPLICATE;
  if (seq < node.lastSeq) return STALE;
  const gap = seq - node.lastSeq - 1;
  return gap === 0 ? FRESH : { kind: 'fresh', gap };
}
