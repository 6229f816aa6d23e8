/** Durations with their unit, as the CLI's duration flags read them. */
import { describe, expect, it } from 'vitest';
import { formatDuration, parseDuration } from '../../src/config/duration.js';
import { ConfigError } from '../../src/core/errors.js';

describe('parseDuration', () => {
  it.each([
    ['250ms', 250],
    ['1.5s', 1500],
    ['10 s', 10_000],
    ['2m', 120_000],
    ['1h', 3_600_000],
    ['1d', 86_400_000],
    ['2w', 1_209_600_000],
    ['0s', 0],
  ])('reads %s as %d ms', (text, ms) => {
    expect(parseDuration(text, '--x')).toBe(ms);
  });

  it('refuses a bare number, saying which unit it needs', () => {
    expect(() => parseDuration('10', '--dead-after')).toThrow(
      new ConfigError('--dead-after: "10" needs a unit, e.g. 10s or 10ms'),
    );
  });

  it.each(['soon', '10 sec', '-1s', '1e3ms', 's', '', 'constructor', '1constructor', '1.s'])(
    'refuses %j',
    (text) => {
      expect(() => parseDuration(text, '--x')).toThrow(/^--x must be a duration like 500ms/);
    },
  );
});

describe('formatDuration', () => {
  it('writes the largest whole unit', () => {
    expect([0, 1, 1500, 60_000, 86_400_000, 1_209_600_000].map(formatDuration)).toEqual([
      '0ms',
      '1ms',
      '1500ms',
      '1m',
      '1d',
      '2w',
    ]);
  });
});
