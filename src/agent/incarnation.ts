/**
 * The incarnation: a u32 that changes every time the agent's process starts, so that a monitor
 * can tell a restarted node (sequence numbers start over) from a reordered packet. The monitor
 * takes a higher incarnation as a restart and a lower one as a stale packet from an earlier
 * process, so incarnations must increase across restarts without any stored state.
 *
 * The rule: the wall clock in units of 10 ms, modulo 2^32 (`floor(wallMs / 10) mod 2^32`).
 * - Increasing across restarts: a restart takes far more than 10 ms (process start-up alone),
 *   so the new value is higher, as long as the wall clock was not stepped back by more than the
 *   downtime.
 * - Unique within a process: two agents created in the same 10 ms get consecutive values.
 * - It wraps every 2^32 · 10 ms ≈ 497 days. Only a restart that straddles the wrap looks like
 *   a lower incarnation; the monitor accepts it as a restart once the node is `dead`, so the
 *   cost is one false detection every 16 months at worst, for a node that restarts right then.
 *   Seconds would never wrap in our lifetime but collide for a crash loop faster than 1 s.
 */
import type { Clock } from '../core/clock.js';
import { MAX_U32 } from '../protocol/index.js';

/** Width of one incarnation tick, ms. */
export const INCARNATION_TICK_MS = 10;

let lastIssued: number | undefined;

/** The incarnation for wall time `wallMs`, by the rule above (a pure function, for tests). */
export function incarnationAt(wallMs: number): number {
  const ticks = Math.floor(wallMs / INCARNATION_TICK_MS) % (MAX_U32 + 1);
  return ticks < 0 ? ticks + MAX_U32 + 1 : ticks;
}

/** A fresh incarnation from the clock, never equal to one issued before in this process. */
export function newIncarnation(clock: Clock): number {
  let value = incarnationAt(clock.wallMs());
  if (lastIssued !== undefined && value <= lastIssued && lastIssued - value < 2 ** 31) {
    value = (lastIssued + 1) % (MAX_U32 + 1);
  }
  lastIssued = value;
  return value;
}
