/**
 * A crowded Wi-Fi link: variable delay and bursty loss (Gilbert–Elliott: bad spells of ~3
 * messages, 6 % of the time, losing 70 % in them), about 5 % loss overall.
 */
import { STANDARD_RUN } from './standard-run.js';

export default {
  name: 'lossy-wifi',
  description: 'Crowded Wi-Fi: log-normal delay (median 7 ms, long right tail), bursty ~5 % loss',
  ...STANDARD_RUN,
  delay: { kind: 'log-normal', medianMs: 5, sigma: 0.8, offsetMs: 2 },
  loss: {
    kind: 'gilbert-elliott',
    goodToBad: 0.02,
    badToGood: 0.3,
    lossInGood: 0.01,
    lossInBad: 0.7,
  },
};
