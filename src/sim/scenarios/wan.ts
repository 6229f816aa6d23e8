/** A wide-area path between regions: ~70 ms one-way with a modest spread, 0.5 % loss. */
export default {
  name: 'wan',
  description: 'Inter-region WAN: ~70 ms one-way delay (30 ms floor + log-normal), 0.5 % loss',
  durationMs: 6 * 3_600_000,
  intervalMs: 1000,
  jitterRatio: 0.1,
  delay: { kind: 'log-normal', medianMs: 40, sigma: 0.25, offsetMs: 30 },
  loss: { kind: 'independent', probability: 0.005 },
};
