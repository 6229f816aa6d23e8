/**
 * The parts of `ping` output shared by every ping-log format: reply lines
 * (`64 bytes from …: icmp_seq=N ttl=63 time=R ms`, maybe `(DUP!)`), the summary
 * (`N packets transmitted, M received, …`), sequence numbers that wrap at 65 536, and the probes
 * a reader gathers from them (`PingProbes`).
 */
import type { Probe } from './arrival-trace.js';

/** A reply line's sequence number (as printed, before unwrapping), round-trip time, duplicate flag. */
export interface PingReply {
  rawSeq: number;
  rttMs: number;
  duplicate: boolean;
}

const REPLY = /\bicmp_seq=(\d+)\b.*?\btime[=<]\s*(\d+(?:\.\d+)?)\s*ms\b(.*)$/;
const SUMMARY = /^(\d+) packets transmitted, (\d+) (?:packets )?received/;

/** Parses a reply line (after any timestamp prefix); `undefined` when the line is not a reply. */
export function parsePingReply(text: string): PingReply | undefined {
  const m = REPLY.exec(text);
  if (m === null) return undefined;
  return {
    rawSeq: Number(m[1]),
    rttMs: Number(m[2]),
    duplicate: (m[3] ?? '').includes('DUP!'),
  };
}

/** Packets transmitted according to the summary line, or `undefined` for any other line. */
export function parsePingSummary(text: string): number | undefined {
  const m = SUMMARY.exec(text.trim());
  return m === null ? undefined : Number(m[1]);
}

/**
 * The last sequence number a ping log observed: the summary's count of probes transmitted, less
 * the final probe when it has no reply. Ping stops (at its deadline, or on Ctrl-C) right after
 * sending its last probe, before that probe's reply can come back, so its fate is not observed:
 * in the cellular runs of `test/fixtures/traces` the final probe is unanswered in 74 % of runs, the
 * one before it in 2.5 %, any other in 1.2 %. Earlier unanswered probes were waited for, and
 * stay losses. `undefined` without a summary.
 */
export function observedLastSeq(
  firstSeq: number,
  transmitted: number | undefined,
  lastReplied: number | undefined,
): number | undefined {
  if (transmitted === undefined) return undefined;
  const last = firstSeq + transmitted - 1;
  return lastReplied !== undefined && lastReplied >= last ? last : last - 1;
}

/** Whether a line is a ping reply, in any of the formats (used to detect a format). */
export function looksLikePingReply(text: string): boolean {
  return REPLY.test(text) && /\bbytes from\b/.test(text);
}

const SEQ_SPACE = 65_536;

/**
 * Turns the 16-bit `icmp_seq` that ping prints (it wraps from 65535 to 0 on long runs) into a
 * growing sequence number. A jump down by more than half the space is a wrap; a jump up by more
 * than half is a late reply from before the last wrap.
 */
export class SeqUnwrapper {
  private epoch = 0;
  private last: number | undefined;

  unwrap(raw: number): number {
    if (raw >= SEQ_SPACE) return raw; // a ping that prints wider numbers never wraps at 16 bits
    if (this.last === undefined) {
      this.last = raw;
      return raw;
    }
    if (raw < this.last - SEQ_SPACE / 2) {
      this.epoch += SEQ_SPACE;
      this.last = raw;
      return this.epoch + raw;
    }
    if (raw > this.last + SEQ_SPACE / 2 && this.epoch > 0) return this.epoch - SEQ_SPACE + raw;
    if (raw > this.last) this.last = raw;
    return this.epoch + raw;
  }
}

/**
 * What a ping-log reader gathers line by line: the probes of the replies (sequence numbers
 * unwrapped), the summary's count of probes transmitted, and the range of sequence numbers
 * replied, which give the trace's first and last sequence numbers (`seqRange`).
 */
export class PingProbes {
  readonly probes: Probe[] = [];
  private readonly seqs = new SeqUnwrapper();
  private transmitted: number | undefined;
  private firstSeq: number | undefined;
  private lastReplied: number | undefined;

  /** The reply in `text` (a line after any prefix), or undefined; a summary line is noted. */
  reply(text: string): PingReply | undefined {
    const reply = parsePingReply(text);
    if (reply === undefined) this.transmitted = parsePingSummary(text) ?? this.transmitted;
    return reply;
  }

  /** Adds a reply's probe: one-way delay RTT / 2, and its send time when the format gives one. */
  add(reply: PingReply, sentMs?: number): void {
    const seq = this.seqs.unwrap(reply.rawSeq);
    this.firstSeq = Math.min(this.firstSeq ?? seq, seq);
    this.lastReplied = Math.max(this.lastReplied ?? seq, seq);
    const delayMs = reply.rttMs / 2;
    this.probes.push(sentMs === undefined ? { seq, delayMs } : { seq, sentMs, delayMs });
  }

  /**
   * The trace's first sequence number (Linux ping counts from 1, BSD and macOS from 0) and, with
   * a summary, its last (`observedLastSeq`): `buildTrace` options.
   */
  seqRange(): { firstSeq: number; lastSeq?: number } {
    const firstSeq = Math.min(1, this.firstSeq ?? 1);
    const lastSeq = observedLastSeq(firstSeq, this.transmitted, this.lastReplied);
    return lastSeq === undefined ? { firstSeq } : { firstSeq, lastSeq };
  }
}
