/**
 * The page's one access to time, as the monitor has its Clock: every view reads the time and
 * sets its timers here, so a test can replace them in one place.
 */
export type TimerId = ReturnType<typeof setTimeout>;

/** Monotonic ms (for ages and durations on the page). */
export const monotonicMs = (): number => performance.now();
/** Wall-clock ms (for chart axes). */
export const wallMs = (): number => Date.now();
/** Runs `fn` once after `ms`. */
export const later = (fn: () => void, ms: number): TimerId => setTimeout(fn, ms);
/** Runs `fn` every `ms`. */
export const every = (fn: () => void, ms: number): TimerId => setInterval(fn, ms);
/** Cancels a timer of `later` or `every` (undefined: nothing to cancel). */
export const cancel = (id: TimerId | undefined): void => clearTimeout(id);
