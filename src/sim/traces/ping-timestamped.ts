import type { Line } from './line-reader.js';
import { buildTrace, medianSendGapMs, type ArrivalTrace } from './arrival-trace.js';
import { PingProbes } from './ping-reply.js';
import { traceError } from './trace-error.js';

const PREFIX = /^\[(\d+(?:\.\d+)?)\]\s/;

/**
 * `ping -D` output: every reply line starts with `[unix_ts]`, the time the reply arrived. The
 * send time is that minus the RTT, the one-way delay RTT / 2; a sequence number with no reply
 * was lost. The nominal interval is the median send gap (`ping -i 0.01` really sends every
 * ~15 ms). `icmp_seq` wraps at 65 536 on long runs and is unwrapped.
 */
export function parsePingTimestamped(
  lines: Iterable<Line>,
  path: string,
  name: string,
): ArrivalTrace[] {
  const log = new PingProbes();
  for (const line of lines) {
    const reply = log.reply(line.text);
    if (reply === undefined) continue;
    const m = PREFIX.exec(line.text);
    if (m === null) {
      if (!line.complete) break;
      throw traceError(path, line.number, 'ping -D reply without a [unix_ts] prefix');
    }
    if (!reply.duplicate) log.add(reply, Number(m[1]) * 1000 - reply.rttMs);
  }
  const intervalMs = medianSendGapMs(log.probes, 1000);
  return [buildTrace(name, log.probes, intervalMs, { ...log.seqRange(), wallClock: true })];
}
