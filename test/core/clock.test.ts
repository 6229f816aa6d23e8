import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';

describe('ManualClock', () => {
  it('runs due timers in time order, ties in the order they were set', () => {
    const clock = new ManualClock();
    const ran: string[] = [];
    clock.setTimeout(() => ran.push(`b@${clock.monotonicMs()}`), 20);
    clock.setTimeout(() => ran.push(`a@${clock.monotonicMs()}`), 10);
    clock.setTimeout(() => ran.push(`c@${clock.monotonicMs()}`), 20);
    clock.advance(15);
    expect(ran).toEqual(['a@10']);
    expect(clock.monotonicMs()).toBe(15);
    clock.advance(5);
    expect(ran).toEqual(['a@10', 'b@20', 'c@20']);
  });

  it('runs timers set by a timer within the same advance when they fall due', () => {
    const clock = new ManualClock();
    const ran: number[] = [];
    clock.setTimeout(() => {
      ran.push(clock.monotonicMs());
      clock.setTimeout(() => ran.push(clock.monotonicMs()), 5);
    }, 10);
    clock.advance(100);
    expect(ran).toEqual([10, 15]);
  });

  it('repeats intervals and stops them on cancel', () => {
    const clock = new ManualClock();
    const ran: number[] = [];
    const handle = clock.setInterval(() => {
      ran.push(clock.monotonicMs());
      if (ran.length === 3) handle.cancel();
    }, 100);
    clock.advance(1000);
    expect(ran).toEqual([100, 200, 300]);
    expect(clock.pendingTimers()).toBe(0);
  });

  it('never runs a cancelled timer and counts only live ones', () => {
    const clock = new ManualClock();
    let ran = false;
    const handle = clock.setTimeout(() => (ran = true), 10);
    expect(clock.pendingTimers()).toBe(1);
    handle.cancel();
    handle.cancel();
    expect(clock.pendingTimers()).toBe(0);
    clock.advance(20);
    expect(ran).toBe(false);
    expect(clock.nextDueMs()).toBeUndefined();
  });

  it('keeps the wall clock apart from monotonic time and applies skew', () => {
    const clock = new ManualClock({ startMs: 0, wallStartMs: 1_000_000 });
    clock.advance(250);
    expect(clock.wallMs()).toBe(1_000_250);
    clock.wallSkewMs = -5000;
    expect(clock.wallMs()).toBe(995_250);
    expect(clock.monotonicMs()).toBe(250);
  });

  it('refuses to move backwards', () => {
    const clock = new ManualClock({ startMs: 100 });
    expect(() => clock.advance(-1)).toThrow(RangeError);
    clock.advanceTo(50);
    expect(clock.monotonicMs()).toBe(100);
  });
});
