import { afterEach, describe, expect, it, vi } from 'vitest';
import { MAX_NODE_TIMER_MS, ManualClock, SystemClock } from '../../src/core/clock.js';

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

describe('SystemClock timers past 2^31 − 1 ms', () => {
  const faked = [
    'setTimeout',
    'clearTimeout',
    'setInterval',
    'clearInterval',
    'performance',
  ] as const;
  afterEach(() => {
    vi.useRealTimers();
  });

  it('fires a 1e9 ms and a 1e12 ms timeout once, when due (Node would fire them after 1 ms)', () => {
    vi.useFakeTimers({ toFake: [...faked] });
    const clock = new SystemClock();
    const fired: number[] = [];
    for (const delay of [1e9, 1e12]) {
      clock.setTimeout(() => fired.push(delay), delay);
      clock.setBackgroundTimeout(() => fired.push(-delay), delay);
    }
    vi.advanceTimersByTime(MAX_NODE_TIMER_MS + 1);
    expect(fired).toEqual([1e9, -1e9]);
    vi.advanceTimersByTime(1e12 - MAX_NODE_TIMER_MS - 2);
    expect(fired).toEqual([1e9, -1e9]);
    vi.advanceTimersByTime(1);
    expect(fired).toEqual([1e9, -1e9, 1e12, -1e12]);
    vi.advanceTimersByTime(1e12);
    expect(fired).toHaveLength(4);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('waits out a long delay in chunks, one Node timer at a time; cancel stops it', () => {
    vi.useFakeTimers({ toFake: [...faked] });
    const clock = new SystemClock({ maxTimerChunkMs: 1000 });
    const fired: number[] = [];
    clock.setTimeout(() => fired.push(performance.now()), 3500);
    const cancelled = clock.setTimeout(() => fired.push(-1), 2500);
    expect(vi.getTimerCount()).toBe(2);
    vi.advanceTimersByTime(1500);
    expect(vi.getTimerCount()).toBe(2);
    cancelled.cancel();
    expect(vi.getTimerCount()).toBe(1);
    vi.advanceTimersByTime(1999);
    expect(fired).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(fired).toEqual([3500]);
    vi.advanceTimersByTime(10_000);
    expect(fired).toEqual([3500]);
    // An Infinity delay never fires, and costs one timer per chunk.
    clock.setTimeout(() => fired.push(Infinity), Infinity);
    vi.advanceTimersByTime(100_000);
    expect(fired).toEqual([3500]);
    expect(vi.getTimerCount()).toBe(1);
  });

  it('repeats an interval longer than a chunk at its period, without drift, until cancelled', () => {
    vi.useFakeTimers({ toFake: [...faked] });
    const clock = new SystemClock({ maxTimerChunkMs: 1000 });
    const start = performance.now();
    const at: number[] = [];
    const handle = clock.setInterval(() => {
      at.push(performance.now() - start);
      if (at.length === 3) handle.cancel();
    }, 2500);
    vi.advanceTimersByTime(20_000);
    expect(at).toEqual([2500, 5000, 7500]);
    expect(vi.getTimerCount()).toBe(0);
    const short: number[] = [];
    const tick = clock.setInterval(() => short.push(performance.now() - start), 400);
    vi.advanceTimersByTime(1000);
    tick.cancel();
    expect(short).toEqual([20_400, 20_800]);
  });

  it('emits no TimeoutOverflowWarning for real timers of 1e9 and 1e12 ms', async () => {
    const warnings: Error[] = [];
    const onWarning = (w: Error): void => {
      if (w.name === 'TimeoutOverflowWarning') warnings.push(w);
    };
    process.on('warning', onWarning);
    try {
      const clock = new SystemClock();
      const fired: number[] = [];
      const handles = [1e9, 1e12].flatMap((ms) => [
        clock.setTimeout(() => fired.push(ms), ms),
        clock.setBackgroundTimeout(() => fired.push(ms), ms),
        clock.setInterval(() => fired.push(ms), ms),
      ]);
      // Warnings are emitted on the next tick: a macrotask later they would have arrived.
      await new Promise<void>((resolve) => setImmediate(resolve));
      for (const h of handles) h.cancel();
      expect(warnings).toEqual([]);
      expect(fired).toEqual([]);
    } finally {
      process.off('warning', onWarning);
    }
  });
});
