import { describe, expect, it } from 'vitest';
import { budgetPerHeartbeat, splitBudget } from '../../src/detectors/margin-split.js';

describe('budgetPerHeartbeat', () => {
  it.each([
    // mistakes per hour, interval (ms), probability per heartbeat
    [0.5, 100, 0.5 / 36_000],
    [1, 1000, 1 / 3600],
    [3600, 1000, 0.5], // one a second would be every heartbeat: capped at 1/2
    [0.5, 3_600_000, 0.5],
  ])('%d/h at %d ms is %d per heartbeat', (perHour, intervalMs, p) => {
    expect(budgetPerHeartbeat(perHour, intervalMs)).toBeCloseTo(p, 15);
  });
});

describe('splitBudget', () => {
  const p = 1e-4;
  it.each([
    {
      name: 'equal tails: every class gets the whole budget',
      weights: [1, 1, 1],
      scales: [0.5, 0.5, 0.5],
      shares: [p, p, p],
    },
    {
      name: 'in proportion to the tail scale over the weighted mean scale',
      // mean scale = 0.5·0.1 + 0.25·0.2 + 0.25·1.0 = 0.35
      weights: [2, 1, 1],
      scales: [0.1, 0.2, 1.0],
      shares: [(p * 0.1) / 0.35, (p * 0.2) / 0.35, (p * 1.0) / 0.35],
    },
    {
      name: 'a class with no waits takes no part in the mean, and still gets its share',
      weights: [3, 1, 0],
      scales: [0.1, 0.5, 2],
      shares: [(p * 0.1) / 0.2, (p * 0.5) / 0.2, (p * 2) / 0.2],
    },
    {
      name: 'no tail at all (mean scale 0): every class gets the budget',
      weights: [1, 1],
      scales: [0, 0],
      shares: [p, p],
    },
    {
      name: 'each share at most one half',
      weights: [99, 1],
      scales: [0.1, 1000],
      shares: [(0.4 * 0.1) / (0.99 * 0.1 + 0.01 * 1000), 0.5],
      budget: 0.4,
    },
  ])('$name', ({ weights, scales, shares, budget }) => {
    const total = weights.reduce((a, b) => a + b, 0);
    const got = splitBudget(budget ?? p, weights, total, scales);
    expect(got).toHaveLength(shares.length);
    got.forEach((share, k) => expect(share).toBeCloseTo(shares[k] as number, 15));
  });

  it('a class of no weight leaves the others bit for bit as without it', () => {
    const three = splitBudget(p, [5, 2, 1], 8, [0.3, 0.7, 1.9]);
    const four = splitBudget(p, [5, 2, 1, 0], 8, [0.3, 0.7, 1.9, 4.2]);
    expect(four.slice(0, 3)).toEqual(three);
  });
});
