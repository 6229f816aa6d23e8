import { describe, expect, it } from 'vitest';
import type { DetectorExplanation } from '../../src/detectors/detector.js';
import type { Evidence } from '../../src/membership/types.js';
import { chanceText, evidenceText, reasonText } from '../../src/dashboard/evidence-text.js';
import { count, duration } from '../../src/dashboard/format.js';

/** The dashboard's plain words for a verdict, from the numbers explain() gives. */
describe('evidence in plain words', () => {
  const detector = (over: Partial<DetectorExplanation>): DetectorExplanation => ({
    kind: 'timeout',
    suspicion: 0,
    threshold: 1,
    suspects: false,
    lastArrivalMs: 1000,
    elapsedMs: 4200,
    suspectAtMs: 4000,
    details: {},
    ...over,
  });
  const evidence = (d: DetectorExplanation | null, over: Partial<Evidence> = {}): Evidence => ({
    detector: d,
    sinceLastMs: 4200,
    lastSeq: 7,
    incarnation: 1,
    lost: 0,
    ...over,
  });

  it('says how long the silence is and what each detector made of it', () => {
    expect(
      evidenceText(
        evidence(detector({ kind: 'timeout', suspects: true, details: { timeoutMs: 3000 } })),
      ),
    ).toBe('No heartbeat for 4.2 s; the timeout is 3.0 s, so it is suspected.');
    expect(
      evidenceText(
        evidence(
          detector({
            kind: 'phi-accrual',
            suspicion: 8.3,
            threshold: 8,
            suspects: true,
            details: { samples: 32, meanIntervalMs: 1000, stdDeviationMs: 50 },
          }),
        ),
      ),
    ).toBe(
      'No heartbeat for 4.2 s; from the last 32 gaps (mean 1.0 s, σ 50 ms) a silence this long ' +
        'has a chance of 1 in 199.5 million (φ 8.3, the threshold is 8): so it is suspected.',
    );
    expect(
      evidenceText(
        evidence(
          detector({
            kind: 'quantile',
            details: {
              samples: 1000,
              expectedArrivalMs: 2000,
              marginMs: 300,
              mistakesPerHour: 0.01,
              scheduledOutage: 0,
            },
          }),
          { lost: 2 },
        ),
      ),
    ).toBe(
      'No heartbeat for 4.2 s; learned from 1000 gaps, the next was due 1.0 s after the last one, ' +
        'with a margin of 300 ms chosen for at most 0.01 mistaken suspicions an hour: not enough ' +
        'to suspect it; 2 heartbeats lost (sequence gaps).',
    );
  });

  it('handles a node never heard from, no evidence, an unknown reason and infinite figures', () => {
    expect(evidenceText(evidence(null, { sinceLastMs: null }))).toBe('No heartbeat received yet.');
    expect(evidenceText(null)).toBe('No evidence recorded.');
    expect(reasonText('dead-grace-expired')).toBe('it stayed suspected for the whole dead grace');
    expect(reasonText('something-new')).toBe('something-new');
    // JSON sends an infinite expected arrival as null: no number is made up.
    const chen = detector({ kind: 'chen', details: { samples: 0 } });
    (chen.details as Record<string, unknown>)['expectedArrivalMs'] = null;
    expect(evidenceText(evidence(chen))).toContain('the next was due — after the last one');
    expect(chanceText(20)).toBe('10^20');
  });

  it('formats durations and counts as people read them', () => {
    expect([850, 4200, 42_000, 192_000, 600_000, 7_500_000, 2 * 86_400_000].map(duration)).toEqual([
      '850 ms',
      '4.2 s',
      '42 s',
      '3 min 12 s',
      '10 min',
      '2 h 5 min',
      '2 d',
    ]);
    expect(duration(null)).toBe('—');
    expect(count(100_000)).toBe('100\u202f000');
  });
});
