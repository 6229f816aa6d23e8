/**
 * A data-centre LAN: sub-millisecond delay with a little spread, almost no loss. Heartbeats every
 * second with the agent's default ±10 % jitter.
 */
import { STANDARD_RUN } from './standard-run.js';

export default {
  name: 'lan',
  description: 'Data-centre LAN: ~0.4 ms one-way delay, 0.01 % independent loss',
  ...STANDARD_RUN,
  delay: { kind: 'log-normal', medianMs: 0.3, sigma: 0.3, offsetMs: 0.1 },
  loss: { kind: 'independent', probability: 0.0001 },
};
