import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { ArrivalWatch } from '../../src/monitor/arrival-watch.js';

/** The bounded rings of recent arrivals behind GET /v1/nodes/:id/arrivals. */
describe('ArrivalWatch', () => {
  const setup = (init = {}) => {
    const clock = new ManualClock({ startMs: 1000, wallStartMs: 1_700_000_000_000 });
    return { clock, watch: new ArrivalWatch({ clock }, init) };
  };

  it('keeps nothing for a node until it is read, then its arrivals as wall times, oldest first', () => {
    const { clock, watch } = setup();
    watch.record('a', 1000);
    expect(watch.size).toBe(0);
    const first = watch.read('a');
    expect(first).toEqual({
      nodeId: 'a',
      sinceWallMs: 1_700_000_000_000,
      capacity: 300,
      arrivalsWallMs: [],
    });
    for (const at of [1100, 1200, 1350]) {
      clock.advance(at - clock.monotonicMs());
      watch.record('a', at);
      watch.record('b', at);
    }
    expect(watch.read('a').arrivalsWallMs).toEqual([
      1_700_000_000_100, 1_700_000_000_200, 1_700_000_000_350,
    ]);
    expect(watch.size).toBe(1);
  });

  it('keeps the last `capacity` arrivals of a node', () => {
    const { watch } = setup({ capacity: 3 });
    watch.read('a');
    for (let i = 1; i <= 5; i++) watch.record('a', 1000 + i);
    expect(watch.read('a').arrivalsWallMs.map((w) => w - 1_700_000_000_000)).toEqual([3, 4, 5]);
  });

  it('watches at most maxNodes, dropping the least recently read; forgets idle and removed nodes', () => {
    const { clock, watch } = setup({ maxNodes: 2, idleMs: 10_000 });
    watch.read('a');
    clock.advance(1);
    watch.read('b');
    clock.advance(1);
    watch.read('a');
    watch.read('c'); // full: b, read least recently, makes room
    watch.record('b', 2000);
    expect(watch.size).toBe(2);
    watch.record('a', 2000);
    expect(watch.read('a').arrivalsWallMs).toHaveLength(1);
    clock.advance(10_001);
    watch.read('a'); // c was not read for longer than idleMs
    expect(watch.size).toBe(1);
    watch.forget('a');
    expect(watch.size).toBe(0);
  });
});
