import { describe, expect, it } from 'vitest';
import {
  survivalQuantile,
  tailQuantile,
  WAIT_BINS,
  waitBin,
  waitBinUpper,
} from '../../src/detectors/wait-histogram.js';

describe('wait histogram', () => {
  it('bins jitter linearly and outages geometrically', () => {
    expect(waitBin(-5)).toBe(0);
    expect(waitBin(0)).toBe(50);
    expect(waitBinUpper(50)).toBeCloseTo(0.04, 12);
    expect(waitBin(2)).toBe(100);
    expect(waitBinUpper(100)).toBeCloseTo(2.16, 12);
    expect(WAIT_BINS).toBe(211);
    expect(waitBin(1e9)).toBe(WAIT_BINS - 1);
    for (let b = 1; b < WAIT_BINS; b++)
      expect(waitBinUpper(b)).toBeGreaterThan(waitBinUpper(b - 1));
  });

  it('takes the empirical quantile where the samples resolve it', () => {
    const h = new Float64Array(WAIT_BINS);
    h[waitBin(0)] = 90;
    h[waitBin(1)] = 10;
    // 10 % lie at 1 interval: the 20 % quantile is in the bin of 0, the 5 % one in the bin of 1
    expect(survivalQuantile(h, 100, 0.2)).toBeCloseTo(0.04, 12);
    expect(survivalQuantile(h, 100, 0.05)).toBeCloseTo(waitBinUpper(waitBin(1)), 12);
    expect(tailQuantile(h, 100, 100, 0.2)).toBeCloseTo(0.04, 12);
  });

  it('continues past the largest wait with the exponential scale of the tail', () => {
    const h = new Float64Array(WAIT_BINS);
    h[waitBin(0)] = 90;
    h[waitBin(1)] = 10;
    // largest: the bin of 1; tail fit at q = 10/100: u = upper edge of the bin of 0, scale = the
    // mean excess of the bin of 1 (its midpoint) over u; budget 0.001 = a tenth of 1/100
    const u = waitBinUpper(waitBin(0));
    const mid = (waitBinUpper(waitBin(1) - 1) + waitBinUpper(waitBin(1))) / 2;
    const expected = waitBinUpper(waitBin(1)) + (mid - u) * Math.log(10);
    expect(tailQuantile(h, 100, 100, 0.001)).toBeCloseTo(expected, 9);
  });
});
