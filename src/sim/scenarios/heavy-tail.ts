/**
 * Heavy-tailed delay: a Pareto tail (alpha 1.5: finite mean, infinite variance) over a 10 ms
 * floor — most heartbeats take ~30 ms, a few take seconds. Normal-distribution detectors are
 * fooled by exactly this.
 */
export default {
  name: 'heavy-tail',
  description:
    'Pareto delay (alpha 1.5, scale 20 ms, 10 ms floor): mostly ~30 ms, sometimes seconds',
  durationMs: 6 * 3_600_000,
  intervalMs: 1000,
  jitterRatio: 0.1,
  delay: { kind: 'pareto', scaleMs: 20, alpha: 1.5, offsetMs: 10 },
  loss: { kind: 'independent', probability: 0.002 },
};
