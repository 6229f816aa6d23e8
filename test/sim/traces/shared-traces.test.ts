/**
 * Every real trace the project ships with (test/fixtures/traces) parses, with
 * the probe and loss counts its README gives.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { TRACE_DIR } from '../../fixtures/trace-dir.js';
import { describe, expect, it } from 'vitest';
import { lostCount, type ArrivalTrace } from '../../../src/sim/traces/arrival-trace.js';
import { readCellularRuns, readTrace } from '../../../src/sim/traces/read-trace.js';

const traces = TRACE_DIR;

/** Seq 1, 2, 3, …; sends in order (1 ms rounding slack in RTT-derived ones); nothing arrives before it was sent. */
function wellFormed(t: ArrivalTrace): void {
  const problems: string[] = [];
  t.arrivals.forEach((a, i) => {
    const prev = t.arrivals[i - 1];
    if (a.seq !== i + 1) problems.push(`seq ${a.seq} at index ${i}`);
    if (prev !== undefined && a.sentMs < prev.sentMs - 1) problems.push(`seq ${a.seq} sent early`);
    if (a.recvMs !== null && a.recvMs < a.sentMs)
      problems.push(`seq ${a.seq} received before sent`);
  });
  expect(problems.slice(0, 5), t.name).toEqual([]);
}

describe('the shared real traces', () => {
  it('are present', () => {
    expect(existsSync(traces), `expected the real traces at ${traces}`).toBe(true);
  });

  it('Starlink Lagos TSV: 36 000 probes, 169 lost, ~0.22 s period', () => {
    const [t] = readTrace(
      path.join(traces, 'starlink/isl-ping-gw-lagos-230911-172603-0.1s-60min.txt'),
    );
    expect(t?.arrivals.length).toBe(36_000);
    expect(lostCount(t as ArrivalTrace)).toBe(169);
    expect(t?.intervalMs).toBeGreaterThan(200);
    expect(t?.intervalMs).toBeLessThan(250);
    wellFormed(t as ArrivalTrace);
  });

  it('Starlink ping -D: seq 1…10 337, 337 lost, ~15 ms period', () => {
    const [t] = readTrace(path.join(traces, 'starlink/leo-isl-10ms-ping-D.txt'));
    expect(t?.arrivals.length).toBe(10_337);
    expect(lostCount(t as ArrivalTrace)).toBe(337);
    expect(t?.intervalMs).toBeGreaterThan(14);
    expect(t?.intervalMs).toBeLessThan(16);
    wellFormed(t as ArrivalTrace);
  });

  it('5G plain pings: 874–1 773 probes each, few losses, 1 s period', () => {
    const all = readTrace(path.join(traces, '5g'));
    expect(all.map((t) => t.name).sort()).toEqual([
      'ping-MEC-ORAN-upd.txt',
      'ping-MEC-ORAN.txt',
      'ping-cloud-ORAN-upd.txt',
      'ping-cloud-ORAN.txt',
      'ping_results_MEC_ORAN.txt',
    ]);
    const summary = Object.fromEntries(all.map((t) => [t.name, [t.arrivals.length, lostCount(t)]]));
    // Counts from each file's own summary line (transmitted, transmitted − received); the last
    // file is cut at 64 KiB mid-line and has no summary.
    expect(summary).toEqual({
      'ping-MEC-ORAN-upd.txt': [982, 0],
      'ping-MEC-ORAN.txt': [878, 4],
      'ping-cloud-ORAN-upd.txt': [1773, 1],
      'ping-cloud-ORAN.txt': [1162, 0],
      'ping_results_MEC_ORAN.txt': [1151, 2],
    });
    for (const t of all) {
      expect(t.intervalMs).toBe(1000);
      wellFormed(t);
    }
  });

  it('cellular AT&T: 129 runs, up to 150 probes at 0.2 s, 1.7 % lost', () => {
    const runs = readCellularRuns(path.join(traces, 'cellular-att'));
    expect(runs.length).toBe(129);
    const nonEmpty = runs.filter((r) => r.arrivals.length > 0);
    expect(nonEmpty.length).toBe(127); // two runs where ping never started
    let probes = 0;
    let lost = 0;
    for (const r of nonEmpty) {
      probes += r.arrivals.length;
      lost += lostCount(r);
      expect(r.intervalMs).toBe(200);
      expect(r.startWallMs).toBeGreaterThan(Date.UTC(2024, 4, 27));
      expect(r.startWallMs).toBeLessThan(Date.UTC(2024, 5, 1));
      wellFormed(r);
    }
    // The README's ~2.2 % counts the final probe of 92 runs, which ping stopped before its reply
    // could come (observedLastSeq): those are not observed, so not lost.
    expect(probes).toBe(18_369);
    expect(lost).toBe(305);
    const [joined] = readTrace(path.join(traces, 'cellular-att'), { concat: true });
    expect(joined?.arrivals.length).toBe(probes);
    expect(lostCount(joined as ArrivalTrace)).toBe(lost);
  });
});
