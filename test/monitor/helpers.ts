/**
 * Shared pieces of the monitor and API tests: a complete configuration on loopback with free
 * ports and an in-memory history, a clock that can stall, and waiting for events.
 */
import dgram from 'node:dgram';
import net from 'node:net';
import type { MonitorConfig } from '../../src/config/types.js';
import type { Clock, TimerHandle } from '../../src/core/clock.js';
import type { Monitor } from '../../src/monitor/monitor.js';
import type { MonitorEvents } from '../../src/monitor/events.js';

export function testConfig(overrides: Partial<MonitorConfig> = {}): MonitorConfig {
  return {
    host: '127.0.0.1',
    udpPort: 0,
    tcpPort: 0,
    httpPort: 0,
    dataPath: ':memory:',
    preset: 'local',
    defaultIntervalMs: 100,
    detector: { kind: 'timeout', timeoutMs: 300 },
    groups: [],
    deadAfterMs: 500,
    startupGraceMs: 2000,
    pauseGuard: { toleranceMs: 500, graceMs: 200 },
    actions: { on: [], webhooks: [] },
    recordPath: null,
    retention: { forgetAfterMs: null, historyMaxAgeMs: null, historyMaxRows: null },
    ...overrides,
  };
}

/**
 * A configuration for API tests: HTTP only, and timing so long that nodes stay as the requests
 * leave them.
 */
export function quietApiConfig(): MonitorConfig {
  return testConfig({
    udpPort: null,
    tcpPort: null,
    defaultIntervalMs: 1000,
    detector: { kind: 'timeout', timeoutMs: 600_000 },
    startupGraceMs: 600_000,
    deadAfterMs: 600_000,
  });
}

/** Resolves with the first event `name` for which `accept` holds. */
export function nextEvent<K extends keyof MonitorEvents>(
  monitor: Monitor,
  name: K,
  accept: (e: MonitorEvents[K]) => boolean = () => true,
): Promise<MonitorEvents[K]> {
  return new Promise((resolve) => {
    const off = monitor.on(name, (e) => {
      if (!accept(e)) return;
      off();
      resolve(e);
    });
  });
}

/** Polls `check` on each turn of the event loop (I/O in between) until it returns true. */
export async function until(check: () => boolean): Promise<void> {
  while (!check()) await new Promise<void>((resolve) => setImmediate(resolve));
}

/**
 * A manual clock whose time can also jump without running any timer, as a process sees it after
 * SIGSTOP, a long GC or a paused VM: `stall(ms)` moves time on, and every timer that fell due
 * meanwhile runs late, at the next `advance`, seeing the real (late) time — like Node's timers.
 * An interval that ran late next falls due one period after it ran, as in Node.
 */
export class StallingClock implements Clock {
  private nowMs = 0;
  private order = 0;
  private readonly timers: StallTimer[] = [];

  monotonicMs(): number {
    return this.nowMs;
  }
  wallMs(): number {
    return 1_700_000_000_000 + this.nowMs;
  }
  setTimeout(fn: () => void, delayMs: number): TimerHandle {
    return this.add(fn, Math.max(0, delayMs), undefined);
  }
  setInterval(fn: () => void, periodMs: number): TimerHandle {
    return this.add(fn, Math.max(1, periodMs), Math.max(1, periodMs));
  }
  /** Timers waiting to run. */
  pendingTimers(): number {
    return this.timers.filter((t) => !t.cancelled).length;
  }
  /** Time passes by `ms` while nothing runs. */
  stall(ms: number): void {
    this.nowMs += ms;
  }
  /** Time passes by `ms` with timers running in due order (overdue ones first, late). */
  advance(ms: number): void {
    const target = this.nowMs + ms;
    for (;;) {
      let next: StallTimer | undefined;
      for (const t of this.timers) {
        if (t.cancelled || t.dueMs > target) continue;
        if (
          next === undefined ||
          t.dueMs < next.dueMs ||
          (t.dueMs === next.dueMs && t.order < next.order)
        )
          next = t;
      }
      if (next === undefined) break;
      this.nowMs = Math.max(this.nowMs, next.dueMs);
      if (next.periodMs === undefined) {
        next.cancelled = true;
      } else {
        next.dueMs = this.nowMs + next.periodMs;
        next.order = this.order++;
      }
      next.fn();
      for (let i = this.timers.length - 1; i >= 0; i--) {
        if (this.timers[i]?.cancelled) this.timers.splice(i, 1);
      }
    }
    this.nowMs = Math.max(this.nowMs, target);
  }
  private add(fn: () => void, delayMs: number, periodMs: number | undefined): TimerHandle {
    const timer: StallTimer = {
      dueMs: this.nowMs + delayMs,
      order: this.order++,
      periodMs,
      fn,
      cancelled: false,
    };
    this.timers.push(timer);
    return { cancel: () => (timer.cancelled = true) };
  }
}

interface StallTimer {
  dueMs: number;
  order: number;
  periodMs: number | undefined;
  fn: () => void;
  cancelled: boolean;
}

/** Sends one UDP datagram to the monitor. */
export async function sendUdp(port: number, data: Buffer | string): Promise<void> {
  const socket = dgram.createSocket('udp4');
  await new Promise<void>((resolve, reject) =>
    socket.send(data, port, '127.0.0.1', (error) => (error ? reject(error) : resolve())),
  );
  socket.close();
}

/** Opens a TCP connection to the monitor. */
export function connectTcp(port: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => resolve(socket));
    socket.once('error', reject);
  });
}
