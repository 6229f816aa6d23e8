import type { ArrivalTrace } from './traces/arrival-trace.js';

/**
 * A trace laid out once for replaying many detectors over it (docs/QOS.md):
 * - the arrivals a node table would accept, in arrival order (a heartbeat older than the newest
 *   one already heard is ignored, as `classifyArrival` does);
 * - for every possible crash point k (the sender crashes right after sending heartbeat k): how
 *   many accepted arrivals it keeps (a prefix, since accepted sequence numbers only grow) and
 *   whether a heartbeat ≤ k that arrived out of order would be accepted only in that crash run,
 *   which then has to be replayed in full.
 * Typed arrays keep a 36 000-heartbeat trace in well under a megabyte.
 */
export interface PreparedTrace {
  name: string;
  intervalMs: number;
  /** Accepted arrivals in arrival order: receive time and sequence number. */
  recvMs: Float64Array;
  seq: Float64Array;
  /** Arrivals ignored in the failure-free run (reordered), in arrival order. */
  lateRecvMs: Float64Array;
  lateSeq: Float64Array;
  /** Per crash point, in trace order: the heartbeat's sequence number and send time. */
  crashSeq: Float64Array;
  crashMs: Float64Array;
  /** Per crash point: accepted arrivals with seq ≤ k (a prefix of `recvMs`). */
  prefix: Int32Array;
  /** Per crash point: 1 when a reordered heartbeat ≤ k changes that run (branched off). */
  exact: Uint8Array;
  /** Heartbeats in the trace and how many of them were lost. */
  heartbeats: number;
  lost: number;
}

const cache = new WeakMap<ArrivalTrace, PreparedTrace>();

/**
 * Prepares a trace for replay, once per trace object (cached: traces are treated as immutable
 * once read).
 */
export function prepareTrace(trace: ArrivalTrace): PreparedTrace {
  let p = cache.get(trace);
  if (p === undefined) {
    p = prepare(trace);
    cache.set(trace, p);
  }
  return p;
}

function prepare(trace: ArrivalTrace): PreparedTrace {
  const received = trace.arrivals.filter((a) => a.recvMs !== null) as {
    seq: number;
    recvMs: number;
  }[];
  received.sort((a, b) => a.recvMs - b.recvMs || a.seq - b.seq);
  const accRecv: number[] = [];
  const accSeq: number[] = [];
  const lateRecv: number[] = [];
  const lateSeq: number[] = [];
  let newest = -Infinity;
  for (const a of received) {
    if (a.seq > newest) {
      newest = a.seq;
      accRecv.push(a.recvMs);
      accSeq.push(a.seq);
    } else {
      lateRecv.push(a.recvMs);
      lateSeq.push(a.seq);
    }
  }

  // Crash points: every heartbeat of the trace, in trace order.
  const n = trace.arrivals.length;
  const crashMs = new Float64Array(n);
  const crashSeq = new Float64Array(n);
  trace.arrivals.forEach((a, i) => {
    crashMs[i] = a.sentMs;
    crashSeq[i] = a.seq;
  });
  const prefix = new Int32Array(n);
  let p = 0;
  for (let i = 0; i < n; i++) {
    while (p < accSeq.length && (accSeq[p] as number) <= (crashSeq[i] as number)) p++;
    prefix[i] = p;
  }
  // A late heartbeat j changes every crash run k ≥ j that keeps the same accepted prefix.
  const exact = new Uint8Array(n);
  const indexOfSeq = new Map<number, number>();
  for (let i = 0; i < n; i++) indexOfSeq.set(crashSeq[i] as number, i);
  for (const j of lateSeq) {
    const start = indexOfSeq.get(j);
    if (start === undefined) continue;
    for (let i = start; i < n && prefix[i] === prefix[start]; i++) exact[i] = 1;
  }

  return {
    name: trace.name,
    intervalMs: trace.intervalMs,
    recvMs: Float64Array.from(accRecv),
    seq: Float64Array.from(accSeq),
    lateRecvMs: Float64Array.from(lateRecv),
    lateSeq: Float64Array.from(lateSeq),
    crashSeq,
    crashMs,
    prefix,
    exact,
    heartbeats: n,
    lost: n - received.length,
  };
}
