import type { Line } from './line-reader.js';
import { buildTrace, medianSendGapMs, type ArrivalTrace, type Probe } from './arrival-trace.js';
import { traceError } from './trace-error.js';

/**
 * Starlink latency files (`unix_ts<TAB>seq<TAB>rtt_ms`, no header, `-1` = lost). The timestamp is
 * the real send time, and the pinger is sequential (the next probe leaves ~0.1 s after the
 * reply), so sends are not strictly periodic: the trace keeps the real send times and takes the
 * median send gap as the nominal interval. One-way delay = RTT / 2.
 */
export function parseStarlinkTsv(
  lines: Iterable<Line>,
  path: string,
  name: string,
): ArrivalTrace[] {
  const probes: Probe[] = [];
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
    const sentMs = ts * 1000;
    probes.push(rtt < 0 ? { seq, sentMs } : { seq, sentMs, delayMs: rtt / 2 });
  }
  const intervalMs = medianSendGapMs(probes, 1000);
  return [buildTrace(name, probes, intervalMs, { wallClock: true })];
}
