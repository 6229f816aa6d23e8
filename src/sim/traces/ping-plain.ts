import type { Line } from './line-reader.js';
import { buildTrace, type ArrivalTrace, type Probe } from './arrival-trace.js';
import { observedLastSeq, parsePingReply, parsePingSummary, SeqUnwrapper } from './ping-reply.js';

/** The period plain `ping` uses when not told otherwise. */
const PLAIN_PING_PERIOD_MS = 1000;

/**
 * Plain `ping` output with no timestamps (`64 bytes from …: icmp_seq=N ttl=64 time=R ms`). The
 * sender is taken to be exactly periodic: heartbeat `seq` leaves at `(seq − first)·periodMs`
 * and arrives RTT / 2 later; a missing sequence number is a loss, and the summary line
 * (`N packets transmitted`) adds losses at the end. Replies may come out of order (a stalled
 * link releases them together); they are placed by sequence number. Lines that are not replies
 * (the `PING` banner, warnings, `Destination Host Unreachable`) are skipped.
 */
export function parsePingPlain(
  lines: Iterable<Line>,
  _path: string,
  name: string,
  periodMs = PLAIN_PING_PERIOD_MS,
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
    if (reply.duplicate) continue;
    const seq = seqs.unwrap(reply.rawSeq);
    firstSeq = Math.min(firstSeq ?? seq, seq);
    lastReplied = Math.max(lastReplied ?? seq, seq);
    probes.push({ seq, delayMs: reply.rttMs / 2 });
  }
  const base = Math.min(1, firstSeq ?? 1); // Linux ping counts from 1, BSD and macOS from 0
  const lastSeq = observedLastSeq(base, transmitted, lastReplied);
  return [
    buildTrace(name, probes, periodMs, {
      firstSeq: base,
      ...(lastSeq !== undefined && { lastSeq }),
    }),
  ];
}
