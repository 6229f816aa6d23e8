/**
 * NodeTable.lifecycle and NodeTable.restore: what a store keeps of a node, and a second table
 * made from it, exactly (states, times, counters, detector warm-up, the seq gap after a restart).
 */
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { MAX_WARMUP_SAMPLES } from '../../src/core/limits.js';
import { NodeTable } from '../../src/membership/node-table.js';
import type { NodeTransition } from '../../src/membership/types.js';

const WALL = 1_800_000_000_000;

function table(wallMs: number) {
  const clock = new ManualClock({ startMs: 0, wallStartMs: wallMs });
  const t = new NodeTable(
    { clock },
    { detector: { kind: 'phi-accrual' }, defaultIntervalMs: 100, deadAfterMs: 1000 },
  );
  const seen: NodeTransition[] = [];
  t.on('transition', (x) => seen.push(x));
  return { clock, t, seen };
}

describe('NodeTable restore', () => {
  it('round-trips a live node: state, last seen, counters, payload and detector warm-up', () => {
    const a = table(WALL);
    let seq = 0;
    for (let i = 0; i < 50; i++) {
      // Intervals of 90 and 110 ms: the detector learns a mean of 100 and a spread.
      if (i !== 20) {
        a.t.receive({
          type: 'heartbeat',
          nodeId: 'n',
          incarnation: 1,
          seq: ++seq,
          payload: { load1: 0.5 },
        });
      } else {
        seq++; // one lost
      }
      a.clock.advance(i % 2 === 0 ? 90 : 110);
    }
    const stored = a.t.lifecycle('n');
    expect(stored).toMatchObject({
      state: 'alive',
      heartbeats: 49,
      lost: 1,
      payload: { load1: 0.5 },
      lastArrivalWallMs: WALL + 4890,
    });
    expect(stored?.warmupMs).toHaveLength(MAX_WARMUP_SAMPLES);
    expect(new Set(stored?.warmupMs)).toEqual(new Set([90, 110, 200])); // 200: around the lost one

    const b = table(WALL + 60_000);
    b.t.restore({ id: 'n', incarnation: 1, lastSeq: seq, ...stored });
    const node = b.t.get('n');
    expect(node).toMatchObject({
      state: 'alive',
      heartbeats: 49,
      lost: 1,
      payload: { load1: 0.5 },
    });
    // Last seen as the wall clock says, on this process's monotonic clock.
    expect(node?.lastArrivalWallMs).toBe(WALL + 4890);
    expect(node?.sinceLastMs).toBe(60_000 - 4890 + 0);
    // The detector starts with the learned window, its last arrival at the restart.
    const explained = b.t.explain('n')?.detector;
    expect(explained?.details['samples']).toBe(MAX_WARMUP_SAMPLES);
    const warm = stored?.warmupMs ?? [];
    expect(explained?.details['meanIntervalMs']).toBeCloseTo(
      warm.reduce((x, y) => x + y, 0) / warm.length,
      6,
    );
    expect(explained?.lastArrivalMs).toBe(0);
    // Heartbeats missed while the monitor was down are not losses.
    b.t.receive({ type: 'heartbeat', nodeId: 'n', incarnation: 1, seq: seq + 500 });
    expect(b.t.get('n')?.lost).toBe(1);
    b.clock.advance(100);
    b.t.receive({ type: 'heartbeat', nodeId: 'n', incarnation: 1, seq: seq + 502 });
    expect(b.t.get('n')?.lost).toBe(2); // a later gap is
    expect(b.seen).toEqual([]);
  });

  it('restores left and dead nodes without deadlines, and emits nothing', () => {
    const b = table(WALL);
    b.t.restore({ id: 'gone', state: 'left', stateReason: 'leave', stateSinceWallMs: WALL - 5000 });
    b.t.restore({
      id: 'down',
      state: 'dead',
      stateReason: 'dead-grace-expired',
      stateSinceWallMs: WALL - 5000,
      failedSinceWallMs: WALL - 6000,
    });
    b.clock.advance(3_600_000);
    expect(b.seen).toEqual([]);
    expect(b.t.get('gone')).toMatchObject({ state: 'left', stateReason: 'leave' });
    expect(b.t.get('down')).toMatchObject({ state: 'dead', stateReason: 'dead-grace-expired' });
    // Recovery measures the downtime from when it failed, before the restart.
    b.t.receive({ type: 'heartbeat', nodeId: 'down', incarnation: 1, seq: 1 });
    expect(b.seen.map((t) => [t.from, t.to, t.downForMs])).toEqual([['dead', 'alive', 3_606_000]]);
  });

  it('reads an unknown reason as `registered` and a record without state as before', () => {
    const b = table(WALL);
    b.t.restore({ id: 'x', state: 'alive', stateReason: 'from-the-future' });
    b.t.restore({ id: 'old' });
    expect(b.t.get('x')?.stateReason).toBe('registered');
    expect(b.t.get('old')?.state).toBe('unknown');
  });
});
