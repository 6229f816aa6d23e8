import type { Line } from './line-reader.js';
import { buildTrace, medianOf, type ArrivalTrace, type Probe } from './arrival-trace.js';
import { traceError } from './trace-error.js';

/** The first line of a recording, written again by a monitor that appends after a restart. */
export const RECORDING_HEADER = '#heartbeat-recording v1';

const HEADER = /^#heartbeat-recording v1 wall_origin_ms=(-?\d+(?:\.\d+)?)\s*$/;

interface Series {
  node: string;
  incarnation: string;
  /** Arrivals in file order: receive time on the wall axis, sequence, sender's wall send time. */
  recvWallMs: number[];
  seq: (number | undefined)[];
  sentWallMs: (number | undefined)[];
  intervalMs: number[];
}

/**
 * The monitor's own recording (`heartbeat monitor --record <file>`): a TSV file whose first line
 * is `#heartbeat-recording v1 wall_origin_ms=<wall ms at monotonic 0>`, then one line per
 * accepted arrival, `recv_ms<TAB>node<TAB>incarnation<TAB>seq<TAB>sent_wall_ms<TAB>interval_ms`,
 * with `recv_ms` on the monitor's monotonic clock. A monitor that restarts and appends writes a
 * new header with its new origin, so receive times are put on one wall axis
 * (`wall_origin_ms + recv_ms`).
 *
 * Returns one trace per node and incarnation (a restart is a new sender), named
 * `<file>#<node>/<incarnation>`, in order of first appearance. Within one: sequence gaps are
 * losses; the interval is the median `interval_ms` (or of receive gaps when none is given); the
 * sender's clock may be off from the monitor's, so when some send time would be later than its
 * arrival, all send times of that sender are moved back by the largest such excess (the fastest
 * heartbeat then took 0 ms). Empty fields (`-` or nothing) are allowed for senders that do not
 * say them (plain text lines): no incarnation is one series, no sequence number counts arrivals,
 * no send time uses the receive time.
 */
export function parseRecording(lines: Iterable<Line>, path: string, name: string): ArrivalTrace[] {
  const series = new Map<string, Series>();
  let originMs: number | undefined;
  for (const line of lines) {
    const text = line.text;
    if (text.startsWith('#')) {
      const m = HEADER.exec(text);
      if (m === null) {
        if (!line.complete) break;
        throw traceError(path, line.number, `expected "${RECORDING_HEADER} wall_origin_ms=<ms>"`);
      }
      originMs = Number(m[1]);
      continue;
    }
    if (text.trim() === '') continue;
    if (originMs === undefined) {
      throw traceError(path, line.number, `recording without a "${RECORDING_HEADER}" header line`);
    }
    const f = text.split('\t');
    const recv = Number(f[0]);
    const node = f[1] ?? '';
    const incarnation = f[2] ?? '';
    const seq = optionalNumber(f[3]);
    const sent = optionalNumber(f[4]);
    const interval = optionalNumber(f[5]);
    const ok =
      f.length === 6 &&
      f[0] !== '' &&
      Number.isFinite(recv) &&
      node !== '' &&
      seq !== null &&
      (seq === undefined || (Number.isSafeInteger(seq) && seq >= 0)) &&
      sent !== null &&
      interval !== null &&
      (interval === undefined || interval > 0) &&
      (incarnation === '' || incarnation === '-' || /^\d+$/.test(incarnation));
    if (!ok) {
      if (!line.complete) break;
      throw traceError(
        path,
        line.number,
        'expected recv_ms<TAB>node<TAB>incarnation<TAB>seq<TAB>sent_wall_ms<TAB>interval_ms',
      );
    }
    const inc = incarnation === '-' ? '' : incarnation;
    const key = `${node}\t${inc}`;
    let s = series.get(key);
    if (s === undefined) {
      s = { node, incarnation: inc, recvWallMs: [], seq: [], sentWallMs: [], intervalMs: [] };
      series.set(key, s);
    }
    s.recvWallMs.push(originMs + recv);
    s.seq.push(seq);
    s.sentWallMs.push(sent);
    if (interval !== undefined) s.intervalMs.push(interval);
  }
  return [...series.values()].map((s) =>
    seriesTrace(s, `${name}#${s.node}/${s.incarnation || '-'}`),
  );
}

/** `undefined` for an empty field (`` or `-`), `null` for one that is not a finite number. */
function optionalNumber(field: string | undefined): number | undefined | null {
  if (field === undefined || field === '' || field === '-') return undefined;
  const n = Number(field);
  return Number.isFinite(n) ? n : null;
}

function seriesTrace(s: Series, name: string): ArrivalTrace {
  const n = s.recvWallMs.length;
  const recvGaps: number[] = [];
  for (let i = 1; i < n; i++)
    recvGaps.push((s.recvWallMs[i] as number) - (s.recvWallMs[i - 1] as number));
  const positiveGaps = recvGaps.filter((g) => g > 0);
  const intervalMs =
    s.intervalMs.length > 0
      ? medianOf(s.intervalMs)
      : positiveGaps.length > 0
        ? medianOf(positiveGaps)
        : 1000;

  // The sender's clock against the monitor's: the largest amount by which a send is "after" its arrival.
  let skewMs = 0;
  for (let i = 0; i < n; i++) {
    const sent = s.sentWallMs[i];
    if (sent !== undefined) skewMs = Math.max(skewMs, sent - (s.recvWallMs[i] as number));
  }
  let counter = 0;
  const probes: Probe[] = [];
  for (let i = 0; i < n; i++) {
    const recv = s.recvWallMs[i] as number;
    const seq = s.seq[i] ?? ++counter;
    const rawSent = s.sentWallMs[i];
    const sentMs = rawSent === undefined ? recv : rawSent - skewMs;
    probes.push({ seq, sentMs, delayMs: recv - sentMs });
  }
  return buildTrace(name, probes, intervalMs, { wallClock: true });
}
