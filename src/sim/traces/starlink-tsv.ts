import type { Line } from './line-reader.js';
import { buildTrace, medianOf, roundMs, type ArrivalTrace, type Probe } from './arrival-trace.js';
import { traceError } from './trace-error.js';

export interface StarlinkTsvOptions {
  /**
   * Keep the pinger's wait after a lost probe in the timeline.
   * @default false: the pinger is sequential and waits out a 5 s timeout after each lost probe
   * before sending the next, a pause a periodic heartbeat sender never makes; kept, every loss
   * would look like a 5 s outage to a detector.
   */
  keepProbeTimeouts?: boolean;
}

/**
 * Starlink latency files (`unix_ts<TAB>seq<TAB>rtt_ms`, no header, `-1` = lost). The timestamp is
 * the real send time of an answered probe, and the pinger is sequential (the next probe leaves
 * ~0.1 s after the reply), so sends are not strictly periodic: the trace keeps the real send
 * times and takes the median gap between consecutive answered probes as the nominal interval.
 * One-way delay = RTT / 2.
 *
 * A lost probe's line is written when its 5 s timeout ends, and the next probe leaves only then.
 * Unless `keepProbeTimeouts` is set, that wait is taken out of the timeline: a lost probe is
 * placed one nominal interval after the previous send, and later sends move earlier by the
 * excess, as a periodic sender would have carried on.
 */
export function parseStarlinkTsv(
  lines: Iterable<Line>,
  path: string,
  name: string,
  options: StarlinkTsvOptions = {},
): ArrivalTrace[] {
  const rows: { seq: number; tsMs: number; rttMs: number }[] = [];
  for (const line of lines) {
    if (line.text.trim() === '' || line.text.startsWith('#')) continue;
    const fields = line.text.split('\t');
    const ts = Number(fields[0]);
    const seq = Number(fields[1]);
    const rtt = Number(fields[2]);
    const ok =
      fields.length === 3 &&
      fields[0] !== '' &&
      Number.isFinite(ts) &&
      Number.isSafeInteger(seq) &&
      seq >= 0 &&
      fields[2] !== '' &&
      Number.isFinite(rtt);
    if (!ok) {
      if (!line.complete) break; // the file was cut short while being written
      throw traceError(path, line.number, 'expected unix_ts<TAB>seq<TAB>rtt_ms (rtt -1 when lost)');
    }
    rows.push({ seq, tsMs: ts * 1000, rttMs: rtt });
  }
  rows.sort((a, b) => a.seq - b.seq);

  // Nominal interval: median send gap between consecutive answered probes.
  const gaps: number[] = [];
  for (let i = 1; i < rows.length; i++) {
    const a = rows[i - 1] as (typeof rows)[number];
    const b = rows[i] as (typeof rows)[number];
    if (b.seq === a.seq + 1 && a.rttMs >= 0 && b.rttMs >= 0 && b.tsMs > a.tsMs) {
      gaps.push(b.tsMs - a.tsMs);
    }
  }
  const intervalMs = gaps.length > 0 ? roundMs(medianOf(gaps)) : 1000;

  const probes: Probe[] = [];
  let shiftMs = 0;
  let lastAnswered: (typeof rows)[number] | undefined;
  let lostSince = false;
  for (const r of rows) {
    if (r.rttMs < 0) {
      if (options.keepProbeTimeouts === true) probes.push({ seq: r.seq, sentMs: r.tsMs });
      else probes.push({ seq: r.seq }); // send time interpolated between its neighbours
      lostSince = true;
      continue;
    }
    if (lostSince && lastAnswered !== undefined && options.keepProbeTimeouts !== true) {
      const expected = (r.seq - lastAnswered.seq) * intervalMs;
      const real = r.tsMs - lastAnswered.tsMs;
      if (real > expected) shiftMs += real - expected;
    }
    probes.push({ seq: r.seq, sentMs: r.tsMs - shiftMs, delayMs: r.rttMs / 2 });
    lastAnswered = r;
    lostSince = false;
  }
  return [buildTrace(name, probes, intervalMs, { wallClock: true })];
}
