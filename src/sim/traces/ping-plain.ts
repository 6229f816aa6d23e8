import type { Line } from './line-reader.js';
import { buildTrace, type ArrivalTrace } from './arrival-trace.js';
import { PingProbes } from './ping-reply.js';

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
  const log = new PingProbes();
  for (const line of lines) {
    const reply = log.reply(line.text);
    if (reply !== undefined && !reply.duplicate) log.add(reply);
  }
  return [buildTrace(name, log.probes, periodMs, log.seqRange())];
}
