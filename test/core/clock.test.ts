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

  it('runs scheduled tasks in due order with timers, ties in the order set, and counts them', () => {
    const clock = new ManualClock();
    const ran: string[] = [];
    const task = (name: string) => ({ run: () => ran.push(`${name}@${clock.monotonicMs()}`) });
    clock.setTimeout(() => ran.push(`t1@${clock.monotonicMs()}`), 10);
    clock.schedule(task('s1'), 10);
    const cancelled = clock.setTimeout(() => ran.push('never'), 10);
    clock.schedule(task('s2'), 5);
    clock.setTimeout(() => ran.push(`t2@${clock.monotonicMs()}`), 10);
    clock.schedule(task('s3'), -3); // treated as 0
    expect(clock.pendingTimers()).toBe(6);
    cancelled.cancel();
    expect(clock.pendingTimers()).toBe(5);
    clock.advance(10);
    expect(ran).toEqual(['s3@0', 's2@5', 't1@10', 's1@10', 't2@10']);
    expect(clock.pendingTimers()).toBe(0);
    expect(clock.nextDueMs()).toBeUndefined();
  });

  it('lets a task schedule itself again, like a timer setting the next one', () => {
    const clock = new ManualClock();
    const at: number[] = [];
    const tick = {
      run(): void {
        at.push(clock.monotonicMs());
        if (at.length < 4) clock.schedule(tick, 250);
      },
    };
    clock.schedule(tick, 100);
    clock.advance(10_000);
    expect(at).toEqual([100, 350, 600, 850]);
  });

  it('keeps the order of a timer loop and of intervals over many timers (heap order)', () => {
    const clock = new ManualClock();
    const ran: number[] = [];
    // Due times with many ties: each timer records its index; expected order is by (due, index).
    const dues = Array.from({ length: 500 }, (_, i) => (i * 7919) % 37);
    dues.forEach((d, i) => clock.setTimeout(() => ran.push(i), d));
    clock.advance(100);
    const expected = dues
      .map((d, i) => [d, i] as const)
      .sort((a, b) => a[0] - b[0] || a[1] - b[1])
      .map(([, i]) => i);
    expect(ran).toEqual(expected);
  });
});
