/**
 * The one shape every trace reader produces: a periodic sender's heartbeats, each with the time
 * it was sent and the time it arrived (or `null` when it was lost). The QoS replay, the
 * simulator's empirical delay model and the lab's sweeps all read this type, whatever the
 * source — a ping log, a Starlink latency file or the monitor's own `--record` file.
 */

/** One heartbeat of a trace. */
export interface Arrival {
  /** Sequence number, 1-based and gap-free across the trace (lost ones are listed too). */
  seq: number;
  /** When the sender sent it, ms from the trace start (the send time of the first heartbeat). */
  sentMs: number;
  /** When it arrived at the monitor, ms from the trace start; `null` when it was lost. */
  recvMs: number | null;
}

export interface ArrivalTrace {
  /** Where it came from: a file name, `file#node/incarnation` for recordings, a scenario name. */
  name: string;
  /** The sender's nominal period in ms (what a detector is told as the sender's interval). */
  intervalMs: number;
  /** Every heartbeat sent, sorted by `seq`. */
  arrivals: Arrival[];
  /** Wall-clock ms (Unix epoch) of the trace start, when the source says it. */
  startWallMs?: number;
}

/** Milliseconds rounded to the microsecond: the finest resolution any source format carries. */
export function roundMs(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}

/** Heartbeats that never arrived. */
export function lostCount(trace: ArrivalTrace): number {
  let lost = 0;
  for (const a of trace.arrivals) if (a.recvMs === null) lost++;
  return lost;
}

/** Median of a non-empty list of numbers (mean of the middle two for an even count). */
export function medianOf(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** A probe as a reader found it: sequence number, send time if known, one-way delay if known. */
export interface Probe {
  seq: number;
  /** Absolute send time in ms on the source's own axis, when the format gives one. */
  sentMs?: number;
  /** One-way delay in ms (RTT / 2 for pings); absent when the probe was lost. */
  delayMs?: number;
}

/**
 * Builds a trace from the probes a reader found: fills every missing sequence number between the
 * first and the last (`lastSeq` extends it when the source says more were sent) as lost, fills
 * missing send times by linear interpolation between the nearest known ones (by `periodMs` at
 * the ends), shifts times so the first heartbeat is sent at 0, and renumbers from 1. The first
 * probe for a sequence number wins; later ones are duplicates.
 */
export function buildTrace(
  name: string,
  probes: readonly Probe[],
  periodMs: number,
  init: {
    firstSeq?: number;
    lastSeq?: number;
    /** Send time of the first probe when no probe has one (formats without timestamps). */
    originMs?: number;
    /** Send times are Unix-epoch ms: the trace start goes into `startWallMs`. */
    wallClock?: boolean;
  } = {},
): ArrivalTrace {
  const bySeq = new Map<number, Probe>();
  let lo = Infinity;
  let hi = -Infinity;
  for (const p of probes) {
    if (bySeq.has(p.seq)) continue;
    bySeq.set(p.seq, p);
    lo = Math.min(lo, p.seq);
    hi = Math.max(hi, p.seq);
  }
  if (init.firstSeq !== undefined) lo = Math.min(lo, init.firstSeq);
  if (init.lastSeq !== undefined) hi = Math.max(hi, init.lastSeq);
  if (!Number.isFinite(lo) || !Number.isFinite(hi))
    return { name, intervalMs: periodMs, arrivals: [] };

  const count = hi - lo + 1;
  const sent = new Float64Array(count).fill(Number.NaN);
  for (const [seq, p] of bySeq) if (p.sentMs !== undefined) sent[seq - lo] = p.sentMs;
  fillSendTimes(sent, periodMs, init.originMs ?? 0);

  const t0 = sent[0] as number;
  const arrivals: Arrival[] = new Array<Arrival>(count);
  for (let i = 0; i < count; i++) {
    const s = sent[i] as number;
    const p = bySeq.get(lo + i);
    const delay = p?.delayMs;
    arrivals[i] = {
      seq: i + 1,
      sentMs: roundMs(s - t0),
      recvMs: delay === undefined ? null : roundMs(s + delay - t0),
    };
  }
  const trace: ArrivalTrace = { name, intervalMs: periodMs, arrivals };
  if (init.wallClock === true) trace.startWallMs = Math.round(t0);
  return trace;
}

/**
 * Replaces NaN send times in place: linear in the sequence number between known neighbours,
 * `periodMs` apart beyond the first and last known one, and `originMs + i·periodMs` when none is
 * known at all (formats without timestamps).
 */
function fillSendTimes(sent: Float64Array, periodMs: number, originMs: number): void {
  let prev = -1;
  for (let i = 0; i < sent.length; i++) {
    if (Number.isNaN(sent[i])) continue;
    if (prev === -1) {
      for (let j = 0; j < i; j++) sent[j] = (sent[i] as number) - (i - j) * periodMs;
    } else if (i - prev > 1) {
      const a = sent[prev] as number;
      const step = ((sent[i] as number) - a) / (i - prev);
      for (let j = prev + 1; j < i; j++) sent[j] = a + (j - prev) * step;
    }
    prev = i;
  }
  if (prev === -1) {
    for (let j = 0; j < sent.length; j++) sent[j] = originMs + j * periodMs;
    return;
  }
  for (let j = prev + 1; j < sent.length; j++)
    sent[j] = (sent[prev] as number) + (j - prev) * periodMs;
}

/** Median gap between consecutive known send times, per sequence step; `fallbackMs` if < 2. */
export function medianSendGapMs(probes: readonly Probe[], fallbackMs: number): number {
  const known = probes
    .filter((p): p is Probe & { sentMs: number } => p.sentMs !== undefined)
    .sort((a, b) => a.seq - b.seq);
  const gaps: number[] = [];
  for (let i = 1; i < known.length; i++) {
    const a = known[i - 1] as Probe & { sentMs: number };
    const b = known[i] as Probe & { sentMs: number };
    if (b.seq > a.seq) gaps.push((b.sentMs - a.sentMs) / (b.seq - a.seq));
  }
  const positive = gaps.filter((g) => g > 0);
  return positive.length === 0 ? fallbackMs : roundMs(medianOf(positive));
}

/**
 * Joins traces end to end into one, as if the sender had carried on: each next trace starts one
 * `intervalMs` after the previous one's last send, and sequence numbers continue. For separate
 * runs of the same measurement (the cellular ping runs); the time between runs is not observed.
 */
export function concatTraces(
  name: string,
  traces: readonly ArrivalTrace[],
  intervalMs = traces[0]?.intervalMs ?? 1000,
): ArrivalTrace {
  const arrivals: Arrival[] = [];
  let offsetMs = 0;
  for (const t of traces) {
    if (t.arrivals.length === 0) continue;
    const base = arrivals.length;
    for (const a of t.arrivals) {
      arrivals.push({
        seq: base + a.seq,
        sentMs: roundMs(a.sentMs + offsetMs),
        recvMs: a.recvMs === null ? null : roundMs(a.recvMs + offsetMs),
      });
    }
    offsetMs = (arrivals[arrivals.length - 1] as Arrival).sentMs + intervalMs;
  }
  const start = traces.find((t) => t.arrivals.length > 0)?.startWallMs;
  return start === undefined
    ? { name, intervalMs, arrivals }
    : { name, intervalMs, arrivals, startWallMs: start };
}
