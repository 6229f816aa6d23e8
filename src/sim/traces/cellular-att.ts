import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Line } from './line-reader.js';
import { buildTrace, type ArrivalTrace } from './arrival-trace.js';
import { PingProbes } from './ping-reply.js';
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
  const log = new PingProbes();
  let startWallMs: number | undefined;
  let offsetMs: number | undefined;
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
    const reply = log.reply(m[8] ?? '');
    if (reply === undefined || reply.duplicate) continue;
    if (!Number.isFinite(localMs)) {
      if (!line.complete) break;
      throw traceError(file, line.number, 'unreadable [YYYY-mm-dd HH:MM:SS.ffffff] timestamp');
    }
    log.add(reply, localMs - (offsetMs ?? 0) - reply.rttMs);
  }
  return [
    buildTrace(name, log.probes, periodMs, {
      ...log.seqRange(),
      wallClock: offsetMs !== undefined,
      // A run with no reply at all: its sends start when ping printed its banner.
      ...(firstStampMs !== undefined && { originMs: firstStampMs }),
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
