/** docs/LIMITS.md lists every limit in src/core/limits.ts with its current value. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as limits from '../../src/core/limits.js';

describe('limits', () => {
  const doc = readFileSync(new URL('../../docs/LIMITS.md', import.meta.url), 'utf8');
  it.each(Object.keys(limits))('%s is documented in docs/LIMITS.md', (name) => {
    expect(doc).toMatch(new RegExp(`\\|\\s*\`${name}\`\\s*\\|`));
  });
  it('every limit is a positive finite number', () => {
    for (const value of Object.values(limits)) {
      expect(Number.isFinite(value) && (value as number) > 0).toBe(true);
    }
  });
});
