/**
 * The quantile detector gives, bit for bit, the outputs recorded in quantile.golden.txt (see
 * quantile-golden.ts for what is recorded). A change that means to alter the detector's numbers
 * records the file anew with `UPDATE_GOLDEN=1 npx vitest run test/detectors/quantile-golden.test.ts`
 * and says why in its commit; a refactoring leaves it as it is.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { GOLDEN_FILE, goldenText } from './quantile-golden.js';

describe('quantile detector golden outputs', () => {
  it('match the recorded ones at every step', () => {
    const actual = goldenText();
    if (process.env.UPDATE_GOLDEN === '1') writeFileSync(GOLDEN_FILE, actual);
    const expected = readFileSync(GOLDEN_FILE, 'utf8').split('\n');
    const lines = actual.split('\n');
    const first = lines.findIndex((line, i) => line !== expected[i]);
    const at = first === -1 ? lines.length : first;
    // The first line that differs, with the case it belongs to.
    const header = (l: string[]) =>
      l.slice(0, at + 1).findLast((s) => s.startsWith('case ') || s.startsWith('qos '));
    expect({ case: header(lines), line: lines[at] }).toEqual({
      case: header(expected),
      line: expected[at],
    });
    expect(lines.length).toBe(expected.length);
  });
});
