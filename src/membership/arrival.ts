/**
 * What one heartbeat or leave means for a node, from its incarnation and sequence number alone:
 * pure functions, so the rules can be read and table-tested in one place. docs/PROTOCOL.md
 * ("Sequence numbers", "Replays") states them for senders. Authenticated messages (a MAC checked
 * by the decoder) obey stricter rules than the rest: they cannot be forged, only replayed, so
 * nothing re-syncs on them and nothing older than what was heard is ever taken again.
 */
import { SEQ_JUMP_SLACK, SEQ_RESYNC_RUN } from '../core/limits.js';
import type { NodeState } from './types.js';

/** The verdict on one heartbeat. */
export type ArrivalKind =
  /** Refreshes liveness; `gap` heartbeats were lost in between (0 when in order or unknown). */
  | 'fresh'
  /** The same seq as the newest seen in this incarnation: ignored, counted. */
  | 'duplicate'
  /** An older seq in this incarnation, or an older incarnation: ignored, counted. */
  | 'stale'
  /** A seq further ahead of the newest than the time since it allows: ignored, counted. */
  | 'seq-jump'
  /**
   * The last of SEQ_RESYNC_RUN refused heartbeats in a row, in order: the sender's sequence is
   * taken as the newest from here on; refreshes liveness (gap 0: the losses are not known).
   */
  | 'resync'
  /** A new incarnation: the sender's process restarted; seq tracking starts over. */
  | 'restart';

export interface ArrivalVerdict {
  kind: ArrivalKind;
  /** Heartbeats missing between the newest seen and this one (only for `fresh`). */
  gap: number;
  /**
   * For `stale` and `seq-jump` in the current incarnation: the length of the run of refused
   * heartbeats this one ends (1 … SEQ_RESYNC_RUN − 1); the caller keeps it with this seq. 0
   * otherwise: an accepted heartbeat (`fresh`, `resync`, `restart`) ends the run; a duplicate or
   * an older incarnation's heartbeat leaves it as it is.
   */
  run: number;
}

/** What the table knows about the node (null = not known yet). */
export interface ArrivalHistory {
  state: NodeState;
  incarnation: number | null;
  lastSeq: number | null;
  /** Ms since the newest accepted heartbeat; null when none was heard (the jump is not bounded). */
  sinceLastMs: number | null;
  /** The sender's interval as the table knows it, ms. */
  intervalMs: number;
  /** Refused heartbeats in a row, in order, of the current incarnation (0 = none). */
  refusedRun: number;
  /** The seq of the last heartbeat of that run (read only when `refusedRun` > 0). */
  refusedRunSeq: number;
  /**
   * The monitor's wall clock when the newest heartbeat was accepted, ms; null when none was.
   * Read only for an authenticated message of a lower incarnation (see classifyArrival).
   */
  newestWallMs: number | null;
}

/** 2^32: seq is a u32 and wraps around to 0. */
const SEQ_MODULUS = 2 ** 32;
/** Half the seq space: a seq up to this far ahead is newer (RFC 1982 serial-number arithmetic). */
const SEQ_HALF = 2 ** 31;

const FRESH: ArrivalVerdict = { kind: 'fresh', gap: 0, run: 0 };
const DUPLICATE: ArrivalVerdict = { kind: 'duplicate', gap: 0, run: 0 };
const STALE: ArrivalVerdict = { kind: 'stale', gap: 0, run: 0 };
const SEQ_JUMP: ArrivalVerdict = { kind: 'seq-jump', gap: 0, run: 0 };
const RESYNC: ArrivalVerdict = { kind: 'resync', gap: 0, run: 0 };
const RESTART: ArrivalVerdict = { kind: 'restart', gap: 0, run: 0 };
/** Refusals by kind and run length, made once so a heartbeat allocates nothing. */
const REFUSED: Record<'stale' | 'seq-jump', ArrivalVerdict[]> = {
  stale: Array.from({ length: SEQ_RESYNC_RUN }, (_, run) => ({ kind: 'stale', gap: 0, run })),
  'seq-jump': Array.from({ length: SEQ_RESYNC_RUN }, (_, run) => ({
    kind: 'seq-jump',
    gap: 0,
    run,
  })),
};

/**
 * How far `seq` is ahead of `from` in serial-number arithmetic over 2^32 (RFC 1982): 1 … 2^31 − 1
 * when it is newer (across a wrap too: 0 is 1 ahead of 4 294 967 295), 0 when equal, −1 when it
 * is older. Exactly 2^31 apart is undefined in RFC 1982; it counts as older here. Both are u32.
 */
export function seqAhead(seq: number, from: number): number {
  const d = (seq - from + SEQ_MODULUS) % SEQ_MODULUS;
  return d < SEQ_HALF ? d : -1;
}

/**
 * The largest forward step of seq accepted `sinceLastMs` after the newest accepted heartbeat:
 * twice the heartbeats the sender can have sent meanwhile at `intervalMs`, plus SEQ_JUMP_SLACK.
 * Unbounded when nothing was heard yet (`sinceLastMs` null).
 */
export function allowedSeqJump(sinceLastMs: number | null, intervalMs: number): number {
  if (sinceLastMs === null) return Infinity;
  return SEQ_JUMP_SLACK + Math.ceil((2 * Math.max(0, sinceLastMs)) / intervalMs);
}

/** What both classifiers take: the node's history, then the message's incarnation, seq and signed time. */
type ClassifyArgs = [
  node: ArrivalHistory,
  incarnation: number | undefined,
  seq: number | undefined,
  signedAtMs?: number,
];

/**
 * The rules:
 * - A message without an incarnation, or a node whose incarnation is not known yet, is in the
 *   current incarnation (the first incarnation heard is adopted, not a restart).
 * - A higher incarnation is a restart.
 * - A lower incarnation is a delayed packet from an earlier process while the node is `alive` or
 *   `suspect`: stale. When the node is `unknown`, `dead` or `left` it is taken as a restart: after
 *   that much silence it cannot be a reordered packet, and a sender whose incarnation source went
 *   backwards (a stepped wall clock, a lost counter file) must not be locked out forever. An
 *   authenticated one must also have been sent after the newest heartbeat was accepted
 *   (`signedAtMs` later than `newestWallMs`), else it is stale: a captured heartbeat of an
 *   earlier process is not a restart.
 * - Within an incarnation, a message without seq (text lines, bare pings), or the first seq
 *   seen, is fresh. Otherwise seq is compared with the newest by serial-number arithmetic over
 *   2^32 (seqAhead), so a sender whose seq wraps goes on: equal is a duplicate; older is stale;
 *   newer by `d` is fresh with `d − 1` lost — unless `d` is more than allowedSeqJump, which is a
 *   `seq-jump` (one forged datagram cannot carry the newest seq so far ahead that the real sender
 *   is refused as stale until it catches up). An authenticated heartbeat is not bounded so: it
 *   cannot be forged, and a key holder that jumps ahead only skips its own seqs.
 * - SEQ_RESYNC_RUN refused (stale or seq-jump) heartbeats of the current incarnation in a row,
 *   each newer than the one before, re-sync the node: the last of them is a `resync` and its seq
 *   the newest. A duplicate or an older incarnation's heartbeat between them leaves the run as it
 *   is; an accepted heartbeat ends it. Without authentication anyone can send a node's
 *   heartbeats; this bounds what a forged one costs the real sender to SEQ_RESYNC_RUN heartbeats.
 *   Authenticated heartbeats never re-sync and never count in a run (run 0): a replayed one is
 *   refused however often it is sent.
 *
 * `signedAtMs` is the `sentAtMs` of an authenticated message; undefined for any other.
 */
export function classifyArrival(
  node: ArrivalHistory,
  incarnation: number | undefined,
  seq: number | undefined,
  signedAtMs?: number,
): ArrivalVerdict {
  if (otherIncarnation(node, incarnation)) {
    if ((incarnation as number) > (node.incarnation as number)) return RESTART;
    if (node.state === 'alive' || node.state === 'suspect') return STALE;
    return signedAtMs === undefined || sentAfterNewest(node, signedAtMs) ? RESTART : STALE;
  }
  const ahead = aheadOfNewest(node, seq);
  if (ahead === null) return FRESH;
  if (ahead === 0) return DUPLICATE;
  if (ahead > 0 && stepTaken(node, ahead, signedAtMs)) {
    return ahead === 1 ? FRESH : { kind: 'fresh', gap: ahead - 1, run: 0 };
  }
  if (signedAtMs !== undefined) return STALE;
  const run =
    node.refusedRun > 0 && seqAhead(seq as number, node.refusedRunSeq) > 0
      ? node.refusedRun + 1
      : 1;
  if (run >= SEQ_RESYNC_RUN) return RESYNC;
  return (REFUSED[ahead > 0 ? 'seq-jump' : 'stale'] as ArrivalVerdict[])[run] as ArrivalVerdict;
}

/**
 * What a leave means, by the same replay rules as a heartbeat (a leave is never a re-sync and
 * never counts in a run of refused heartbeats):
 * - a higher incarnation: `restart` (a new process that left at once: the leave applies and its
 *   incarnation and seq become the newest); a lower one: `stale`, in any state (a leave of an
 *   earlier process says nothing of the current one);
 * - within the incarnation, without seq or before any seq was heard: `fresh`; the newest seq
 *   again: `duplicate`; an older one: `stale` (a replayed leave is refused);
 * - a newer seq: `fresh` (its seq becomes the newest), or, unauthenticated and beyond
 *   allowedSeqJump, `seq-jump`: the leave applies but its seq is not taken (anyone can send a
 *   leave with the next seq, so refusing it would protect nothing; taking its seq would lock the
 *   sender out if it comes back).
 * `signedAtMs` is the `sentAtMs` of an authenticated leave; undefined for any other.
 */
export function classifyLeave(
  ...[node, incarnation, seq, signedAtMs]: ClassifyArgs
): ArrivalVerdict {
  if (otherIncarnation(node, incarnation)) {
    return (incarnation as number) > (node.incarnation as number) ? RESTART : STALE;
  }
  const ahead = aheadOfNewest(node, seq);
  if (ahead === null) return FRESH;
  if (ahead === 0) return DUPLICATE;
  if (ahead < 0) return STALE;
  return stepTaken(node, ahead, signedAtMs) ? FRESH : SEQ_JUMP;
}

/** Whether a message's incarnation is known and differs from the node's known one. */
function otherIncarnation(node: ArrivalHistory, incarnation: number | undefined): boolean {
  return incarnation !== undefined && node.incarnation !== null && incarnation !== node.incarnation;
}

/** seqAhead of the node's newest seq, or null when the message or the node has none. */
function aheadOfNewest(node: ArrivalHistory, seq: number | undefined): number | null {
  return seq === undefined || node.lastSeq === null ? null : seqAhead(seq, node.lastSeq);
}

/** Whether a step `ahead` seqs forward is taken: authenticated, or within allowedSeqJump. */
function stepTaken(node: ArrivalHistory, ahead: number, signedAtMs: number | undefined): boolean {
  return signedAtMs !== undefined || ahead <= allowedSeqJump(node.sinceLastMs, node.intervalMs);
}

/** Whether an authenticated message was sent after the node's newest heartbeat was accepted. */
function sentAfterNewest(node: ArrivalHistory, signedAtMs: number): boolean {
  return node.newestWallMs === null || signedAtMs > node.newestWallMs;
}
