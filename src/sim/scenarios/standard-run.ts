/**
 * What every standard scenario shares: six hours of heartbeats every second with the agent's
 * default ±10 % jitter, so the scenarios differ only in their link.
 */
export const STANDARD_RUN = {
  durationMs: 6 * 3_600_000,
  intervalMs: 1000,
  jitterRatio: 0.1,
};
