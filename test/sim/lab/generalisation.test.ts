/**
 * The tuner's generalisation check on two of the real 5G traces (test/fixtures/traces, small enough
 * for the test suite); docs/quality/GENERALISATION.md has every trace, from `heartbeat lab
 * generalise`.
 */
import path from 'node:path';
import { TRACE_DIR } from '../../fixtures/trace-dir.js';
import { describe, expect, it } from 'vitest';
import { bestAtRate } from '../../../src/sim/lab/frontier.js';
import { checkGeneralisation, splitTrace } from '../../../src/sim/lab/generalisation.js';
import { createQosEvaluate } from '../../../src/sim/lab/qos-evaluate.js';
import { sweepTrace } from '../../../src/sim/lab/sweep.js';
import { chooseSetting } from '../../../src/sim/lab/tuner.js';
import { readTrace } from '../../../src/sim/traces/read-trace.js';

const traces = TRACE_DIR;
const POINTS = 10;
const PER_DAY = 240;

describe.each(['ping-MEC-ORAN-upd.txt', 'ping_results_MEC_ORAN.txt'])(
  'tuning on the first half of 5g/%s',
  (file) => {
    const [trace] = readTrace(path.join(traces, '5g', file));
    const evaluate = createQosEvaluate();

    it('replays the first half’s choice on the second half and judges it against hindsight', () => {
      expect(trace).toBeDefined();
      const report = checkGeneralisation(trace!, PER_DAY, evaluate, { pointsPerDetector: POINTS });
      const [first, second] = splitTrace(trace!);

      // The choice is what the tuner picks on the first half …
      const tuned = chooseSetting(
        sweepTrace(first, evaluate, { pointsPerDetector: POINTS }).points,
        { kind: 'mistakes', perDay: PER_DAY },
        0.5,
      );
      expect(report.tuned?.spec).toEqual(tuned?.spec);
      expect(report.tuned!.mistakesPerHour).toBeLessThanOrEqual(5);

      // … its figures on the second half are that setting replayed there …
      const unseen = evaluate(second, report.tuned!.spec!);
      expect(report.unseen?.detectionMeanMs).toBe(unseen.detectionMeanMs);
      expect(report.unseen?.mistakesPerHour).toBe(unseen.mistakesPerHour);

      // … and it is judged against the best second-half setting for the same budget.
      const hindsight = bestAtRate(
        sweepTrace(second, evaluate, { pointsPerDetector: POINTS }).points,
        10,
      );
      expect(report.hindsight?.detectionMeanMs).toBe(hindsight?.detectionMeanMs);
      expect(report.meetsMistakes).toBe(unseen.mistakesPerHour <= 10);
      expect(report.withinFivePercent).toBe(
        unseen.detectionMeanMs <= 1.05 * hindsight!.detectionMeanMs,
      );
    });
  },
);
