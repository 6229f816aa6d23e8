/**
 * How late the process's event loop runs timers (`perf_hooks.monitorEventLoopDelay`), over the
 * time since the previous heartbeat: the 99th percentile and the maximum, in ms. A stall shows
 * when it delays the histogram's next sample, so stalls shorter than the sampling period may
 * show only in part or not at all. A blocked loop
 * is the usual reason a healthy Node.js process stops answering, and the reason its heartbeats
 * arrive late: this is the sender-side evidence for a `suspect`.
 */
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import type { Payload } from '../../protocol/message.js';
import type { PayloadProvider } from './provider.js';

export interface EventLoopDelayOptions {
  /**
   * Sampling period of the histogram, ms. A stall of S ms shows as a delay of at least
   * S − resolutionMs (all of it when it falls just before a sample).
   * @default 100 — each wake-up of the histogram's timer costs CPU (bench/suites/agent.ts: at
   * 20 ms it was two thirds of the agent's cost); the stalls that delay heartbeats last hundreds
   * of ms and still show, at 10 wake-ups a second instead of 50 (or Node's 100).
   */
  resolutionMs?: number;
}

export const DEFAULT_EVENT_LOOP_RESOLUTION_MS = 100;

/** Histogram values are nanoseconds; a tenth of a ms is finer than the sampling period. */
const nsToMs = (ns: number): number => Math.round(ns / 1e5) / 10;

export class EventLoopDelayProvider implements PayloadProvider {
  readonly name = 'event-loop';
  private readonly resolutionMs: number;
  private histogram: IntervalHistogram | undefined;

  constructor(init: EventLoopDelayOptions = {}) {
    this.resolutionMs = init.resolutionMs ?? DEFAULT_EVENT_LOOP_RESOLUTION_MS;
  }

  start(): void {
    if (this.histogram !== undefined) return;
    this.histogram = monitorEventLoopDelay({ resolution: this.resolutionMs });
    this.histogram.enable();
  }

  collect(): Payload {
    const h = this.histogram;
    // No sample yet (the first heartbeat goes out at start): report nothing rather than zeros.
    if (h === undefined || h.count === 0) return {};
    // The histogram records whole intervals between its timer's runs (the resolution plus the
    // lateness); the delay is the lateness alone.
    const delayMs = (ns: number): number => Math.max(0, nsToMs(ns) - this.resolutionMs);
    const payload = {
      eventLoopDelayP99Ms: Math.round(delayMs(h.percentile(99)) * 10) / 10,
      eventLoopDelayMaxMs: Math.round(delayMs(h.max) * 10) / 10,
    };
    h.reset();
    return payload;
  }

  stop(): void {
    this.histogram?.disable();
    this.histogram = undefined;
  }
}
