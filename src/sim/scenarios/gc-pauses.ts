/**
 * A fast LAN whose processes stop the world: senders pause about every 2 minutes (median 0.8 s,
 * sometimes several seconds), the monitor about every 10 minutes (median 0.6 s).
 */
import { STANDARD_RUN } from './standard-run.js';

export default {
  name: 'gc-pauses',
  description:
    'LAN with stop-the-world pauses: senders every ~2 min (median 0.8 s), monitor every ~10 min',
  ...STANDARD_RUN,
  delay: { kind: 'log-normal', medianMs: 1, sigma: 0.5 },
  loss: { kind: 'independent', probability: 0.0001 },
  senderPauses: { everyMs: 120_000, durationMs: { kind: 'log-normal', medianMs: 800, sigma: 0.7 } },
  monitorPauses: {
    everyMs: 600_000,
    durationMs: { kind: 'log-normal', medianMs: 600, sigma: 0.5 },
  },
};
