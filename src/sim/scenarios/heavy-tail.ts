/**
 * Heavy-tailed delay: a Pareto tail (alpha 1.5: finite mean, infinite variance) over a 10 ms
 * floor — most heartbeats take ~30 ms, a few take seconds. Normal-distribution detectors are
 * fooled by exactly this.
 */
import { STANDARD_RUN } from './standard-run.js';

export default {
  name: 'heavy-tail',
  description:
    'Pareto delay (alpha 1.5, scale 20 ms, 10 ms floor): mostly ~30 ms, sometimes seconds',
  ...STANDARD_RUN,
  delay: { kind: 'pareto', scaleMs: 20, alpha: 1.5, offsetMs: 10 },
  loss: { kind: 'independent', probability: 0.002 },
};
