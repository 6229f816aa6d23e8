/**
 * The JSON form of a transition that leaves the process: the webhook body and the exec hooks'
 * HEARTBEAT_TRANSITION and HEARTBEAT_EVIDENCE variables. One shape for both, documented in
 * docs/CONFIG.md, so a receiver written for one works for the other. Serialised with JSON.stringify, which
 * writes non-finite numbers (a detector's `suspectAtMs` before the first arrival) as null.
 */
import type { Evidence, NodeState, NodeTransition } from '../membership/types.js';

/** Version of the document's shape; bumped only for incompatible changes. */
export const TRANSITION_DOCUMENT_VERSION = 1;

export interface TransitionDocument {
  version: typeof TRANSITION_DOCUMENT_VERSION;
  nodeId: string;
  from: NodeState;
  to: NodeState;
  reason: string;
  /** Wall-clock ms since the Unix epoch, and the same instant as ISO 8601 (null if invalid). */
  wallMs: number;
  time: string | null;
  /** The monitor's monotonic ms: only differences between two documents mean anything. */
  atMs: number;
  /** Ms from the last heartbeat to the detection, for `suspect` and `dead`; else null. */
  detectionMs: number | null;
  /** How long the node was failed, for transitions out of a failure; else null. */
  downForMs: number | null;
  evidence: Evidence;
}

export function transitionDocument(t: NodeTransition): TransitionDocument {
  return {
    version: TRANSITION_DOCUMENT_VERSION,
    nodeId: t.nodeId,
    from: t.from,
    to: t.to,
    reason: t.reason,
    wallMs: t.wallMs,
    time: Number.isFinite(t.wallMs) ? isoTime(t.wallMs) : null,
    atMs: t.atMs,
    detectionMs: t.detectionMs ?? null,
    downForMs: t.downForMs ?? null,
    evidence: t.evidence,
  };
}

function isoTime(wallMs: number): string | null {
  const date = new Date(wallMs);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}
