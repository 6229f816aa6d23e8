import { describe, expect, it } from 'vitest';
import { StallWatchdog, type StallEvent } from '../../src/monitor/stall-watchdog.js';
import { StallingClock } from './helpers.js';

describe('StallWatchdog', () => {
  function setup() {
    const clock = new StallingClock();
    const stalls: StallEvent[] = [];
    const dog = new StallWatchdog(
      { clock, onStall: (s) => stalls.push(s) },
      { periodMs: 100, toleranceMs: 500, graceMs: 2000 },
    );
    dog.start();
    return { clock, stalls, dog };
  }

  it('stays quiet while its ticks run on time', () => {
    const { clock, stalls, dog } = setup();
    clock.advance(60_000);
    expect(stalls).toEqual([]);
    expect(dog.stats()).toEqual({ stalls: 0, stalledMs: 0, longestMs: 0 });
  });

  it('ignores lateness within the tolerance', () => {
    const { clock, stalls } = setup();
    clock.advance(1000);
    clock.stall(500);
    clock.advance(200);
    expect(stalls).toEqual([]);
  });

  it('reports a stall with its length and the time convictions are held until', () => {
    const { clock, stalls, dog } = setup();
    clock.advance(1000);
    clock.stall(5000);
    clock.advance(100);
    expect(stalls).toHaveLength(1);
    const [s] = stalls as [StallEvent];
    // Due at 1100, run at 6000: 4900 ms late.
    expect(s.stalledMs).toBe(4900);
    expect(s.atMs).toBe(6000);
    expect(s.holdUntilMs).toBe(6000 + 2000);
    clock.stall(800); // the tick due at 6200 runs at 6900
    clock.advance(1000);
    expect(dog.stats()).toEqual({ stalls: 2, stalledMs: 5600, longestMs: 4900 });
  });

  it('stops ticking when stopped', () => {
    const { clock, stalls, dog } = setup();
    dog.stop();
    expect(clock.pendingTimers()).toBe(0);
    clock.stall(10_000);
    clock.advance(1000);
    expect(stalls).toEqual([]);
  });
});
