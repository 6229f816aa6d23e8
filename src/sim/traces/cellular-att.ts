import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Line } from './line-reader.js';
import { buildTrace, type ArrivalTrace, type Probe } from './arrival-trace.js';
import { observedLastSeq, parsePingReply, parsePingSummary, SeqUnwrapper } from './ping-reply.js';
import { traceError } from './trace-error.js';

/** The cellular measurement pinged every 0.2 s. */
const CELLULAR_PERIOD_MS = 200;

const START = /^Start time:\s*(\d+)\s*$/;
const STAMP = /^\[(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?\]\s?(.*)$/;
const QUARTER_HOUR_MS = 15 * 60_000;

/**
 * One run of the in-vehicle cellular measurement (`ping_*.out`): `Start time: <unix ms>`, then
 * ping output with every line stamped `[YYYY-mm-dd HH:MM:SS.ffffff]` in local time (US/Eastern),
 * the reply's arrival, and the summary last. The local stamps are turned into Unix time with the
 * offset that the `Start time` line implies (rounded to a quarter hour, so no time-zone database
 * is needed); send time = reply − RTT, one-way delay = RTT / 2; lost sequence numbers between
 * known sends are interpolated. A run may be empty (ping never started): it gives an empty trace; a run with
 * no reply at all is a trace of lost heartbeats from the time of ping's banner.
 */
export function parseCellularRun(
  lines: Iterable<Line>,
  file: string,
  name: string,
  periodMs = CELLULAR_PERIOD_MS,
): ArrivalTrace[] {
  const probes: Probe[] = [];
  const seqs = new SeqUnwrapper();
  let startWallMs: number | undefined;
  let offsetMs: number | undefined;
  let transmitted: number | undefined;
  let firstSeq: number | undefined;
  let lastReplied: number | undefined;
  let firstStampMs: number | undefined;
  for (const line of lines) {
    const start = START.exec(line.text);
    if (start !== null) {
      startWallMs ??= Number(start[1]);
      continue;
    }
    const m = STAMP.exec(line.text);
    if (m === null) continue; // `End time:`, blank lines
    const localMs = localStampMs(m);
    if (offsetMs === undefined && startWallMs !== undefined) {
      offsetMs = Math.round((localMs - startWallMs) / QUARTER_HOUR_MS) * QUARTER_HOUR_MS;
    }
    if (firstStampMs === undefined && Number.isFinite(localMs))
      firstStampMs = localMs - (offsetMs ?? 0);
    const rest = m[8] ?? '';
    const reply = parsePingReply(rest);
    if (reply === undefined) {
      transmitted = parsePingSummary(rest) ?? transmitted;
      continue;
    }
    if (reply.duplicate) continue;
    if (!Number.isFinite(localMs)) {
      if (!line.complete) break;
      throw traceError(file, line.number, 'unreadable [YYYY-mm-dd HH:MM:SS.ffffff] timestamp');
    }
    const seq = seqs.unwrap(reply.rawSeq);
    firstSeq = Math.min(firstSeq ?? seq, seq);
    lastReplied = Math.max(lastReplied ?? seq, seq);
    const replyMs = localMs - (offsetMs ?? 0);
    probes.push({ seq, sentMs: replyMs - reply.rttMs, delayMs: reply.rttMs / 2 });
  }
  const base = Math.min(1, firstSeq ?? 1);
  const lastSeq = observedLastSeq(base, transmitted, lastReplied);
  return [
    buildTrace(name, probes, periodMs, {
      firstSeq: base,
      wallClock: offsetMs !== undefined,
      // A run with no reply at all: its sends start when ping printed its banner.
      ...(firstStampMs !== undefined && { originMs: firstStampMs }),
      ...(lastSeq !== undefined && { lastSeq }),
    }),
  ];
}

/** A `[YYYY-mm-dd HH:MM:SS.ffffff]` stamp read as if it were UTC, in ms (NaN when invalid). */
function localStampMs(m: RegExpExecArray): number {
  const [, y, mo, d, h, mi, s, frac] = m;
  const ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
  return frac === undefined ? ms : ms + Number(`0.${frac}`) * 1000;
}

/** The run files (`ping_*.out`) under a directory, in path order (dates and times sort). */
export function findCellularRuns(dir: string): string[] {
  const found: string[] = [];
  const walk = (d: string): void => {
    for (const entry of readdirSync(d).sort()) {
      const full = path.join(d, entry);
      if (statSync(full).isDirectory()) walk(full);
      else if (/^ping_.*\.out$/.test(entry)) found.push(full);
    }
  };
  walk(dir);
  return found;
}
