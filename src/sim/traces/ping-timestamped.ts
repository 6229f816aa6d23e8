import type { Line } from './line-reader.js';
import { buildTrace, medianSendGapMs, type ArrivalTrace, type Probe } from './arrival-trace.js';
import { observedLastSeq, parsePingReply, parsePingSummary, SeqUnwrapper } from './ping-reply.js';
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
  const probes: Probe[] = [];
  const seqs = new SeqUnwrapper();
  let transmitted: number | undefined;
  let firstSeq: number | undefined;
  let lastReplied: number | undefined;
  for (const line of lines) {
    const reply = parsePingReply(line.text);
    if (reply === undefined) {
      transmitted = parsePingSummary(line.text) ?? transmitted;
      continue;
    }
    const m = PREFIX.exec(line.text);
    if (m === null) {
      if (!line.complete) break;
      throw traceError(path, line.number, 'ping -D reply without a [unix_ts] prefix');
    }
    if (reply.duplicate) continue;
    const seq = seqs.unwrap(reply.rawSeq);
    firstSeq = Math.min(firstSeq ?? seq, seq);
    lastReplied = Math.max(lastReplied ?? seq, seq);
    const replyMs = Number(m[1]) * 1000;
    probes.push({ seq, sentMs: replyMs - reply.rttMs, delayMs: reply.rttMs / 2 });
  }
  const base = Math.min(1, firstSeq ?? 1);
  const lastSeq = observedLastSeq(base, transmitted, lastReplied);
  const intervalMs = medianSendGapMs(probes, 1000);
  return [
    buildTrace(name, probes, intervalMs, {
      firstSeq: base,
      wallClock: true,
      ...(lastSeq !== undefined && { lastSeq }),
    }),
  ];
}
