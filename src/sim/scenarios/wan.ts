/** A wide-area path between regions: ~70 ms one-way with a modest spread, 0.5 % loss. */
import { STANDARD_RUN } from './standard-run.js';

export default {
  name: 'wan',
  description: 'Inter-region WAN: ~70 ms one-way delay (30 ms floor + log-normal), 0.5 % loss',
  ...STANDARD_RUN,
  delay: { kind: 'log-normal', medianMs: 40, sigma: 0.25, offsetMs: 30 },
  loss: { kind: 'independent', probability: 0.005 },
};
