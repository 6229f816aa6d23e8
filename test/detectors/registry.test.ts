import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/core/errors.js';
import { MAX_DETECTOR_WINDOW } from '../../src/core/limits.js';
import {
  createDetector,
  DETECTOR_KINDS,
  describeDetector,
  describeDetectorDefaults,
  parseDetectorSpec,
} from '../../src/detectors/registry.js';
import type { DetectorSpec } from '../../src/detectors/spec.js';

function parseError(input: unknown, path?: string): ConfigError {
  try {
    parseDetectorSpec(input, path);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as ConfigError).message;
    expect(message).not.toContain('\n');
    return error as ConfigError;
  }
  throw new Error(`expected ${JSON.stringify(input)} to be rejected`);
}

describe('parseDetectorSpec', () => {
  it('accepts every kind with and without options', () => {
    for (const kind of DETECTOR_KINDS) expect(parseDetectorSpec({ kind })).toEqual({ kind });
    const spec = {
      kind: 'phi-accrual',
      threshold: 10,
      minStdDeviationMs: 50,
      acceptableHeartbeatPauseMs: 0,
      windowSize: MAX_DETECTOR_WINDOW,
      firstHeartbeatEstimateMs: 500,
    };
    expect(parseDetectorSpec(spec)).toEqual(spec);
    expect(parseDetectorSpec({ kind: 'chen', safetyMarginMs: undefined })).toEqual({
      kind: 'chen',
    });
  });

  it('names the field and the value in one line', () => {
    expect(parseError({ kind: 'phi-accrual', threshold: 'abc' }).message).toBe(
      'detector.threshold must be a positive number, got "abc"',
    );
    expect(parseError({ kind: 'phi-cassandra', threshold: -1 }).message).toBe(
      'detector.threshold must be a positive number, got -1',
    );
    expect(parseError({ kind: 'timeout', timeoutMs: 0 }).message).toBe(
      'detector.timeoutMs must be a positive number, got 0',
    );
    expect(parseError({ kind: 'chen', safetyMarginMs: -5 }).message).toBe(
      'detector.safetyMarginMs must be a number ≥ 0, got -5',
    );
    expect(parseError({ kind: 'missed-beats', failureThreshold: 2.5 }).message).toBe(
      'detector.failureThreshold must be a positive integer, got 2.5',
    );
    expect(parseError({ kind: 'chen', windowSize: MAX_DETECTOR_WINDOW + 1 }).message).toBe(
      `detector.windowSize must be an integer from 1 to ${MAX_DETECTOR_WINDOW} (MAX_DETECTOR_WINDOW), got ${MAX_DETECTOR_WINDOW + 1}`,
    );
    expect(parseError({ kind: 'phi-accrual', windowSize: 0 }).message).toContain(
      'detector.windowSize',
    );
    expect(parseError({ kind: 'phi-accrual', threshold: Number.NaN }).message).toBe(
      'detector.threshold must be a positive number, got NaN',
    );
    expect(parseError({ kind: 'phi-accrual', threshold: Infinity }).message).toContain(
      'got Infinity',
    );
    expect(parseError({ kind: 'phi-accrual', threshold: null }).message).toContain('got null');
    expect(parseError({ kind: 'phi-accrual', threshold: [1] }).message).toContain('got an array');
    expect(parseError({ kind: 'timeout', timeoutMs: 'x'.repeat(500) }).message.length).toBeLessThan(
      120,
    );
  });

  it('rejects unknown kinds, unknown fields and non-objects', () => {
    expect(parseError({ kind: 'nope' }).message).toBe(
      `detector.kind must be one of ${DETECTOR_KINDS.join(', ')}, got "nope"`,
    );
    expect(parseError({}).message).toContain('detector.kind must be one of');
    expect(parseError({ kind: 'timeout', threshold: 3 }).message).toBe(
      'detector.threshold is not an option of timeout (options: timeoutMs)',
    );
    expect(parseError({ kind: 'toString' }).message).toContain('detector.kind');
    expect(parseError({ kind: 'chen', constructor: 1 }).message).toContain('detector.constructor');
    expect(parseError('phi-accrual').message).toBe(
      'detector must be an object with a "kind", got "phi-accrual"',
    );
    expect(parseError(null).message).toContain('got null');
    expect(parseError([]).message).toContain('got an array');
  });

  it('prefixes messages with the given path', () => {
    expect(parseError({ kind: 'chen', windowSize: 'x' }, 'groups[2].detector').message).toMatch(
      /^groups\[2\]\.detector\.windowSize must be/,
    );
  });
});

describe('createDetector', () => {
  it('builds every kind, with options applied', () => {
    for (const kind of DETECTOR_KINDS) {
      const detector = createDetector({ kind } as DetectorSpec, { intervalMs: 1000 });
      expect(detector.kind).toBe(kind);
      expect(detector.suspectAtMs()).toBe(Infinity);
    }
    const detector = createDetector({ kind: 'timeout', timeoutMs: 42 }, { intervalMs: 1000 });
    detector.heartbeat(0);
    expect(detector.suspectAtMs()).toBe(42);
  });

  it('validates the spec and the interval', () => {
    expect(() =>
      createDetector({ kind: 'phi-accrual', threshold: -1 }, { intervalMs: 1000 }),
    ).toThrow(ConfigError);
    expect(() => createDetector({ kind: 'timeout' }, { intervalMs: 0 })).toThrow(
      'detector intervalMs must be a positive number, got 0',
    );
    expect(() => createDetector({ kind: 'timeout' }, { intervalMs: Number.NaN })).toThrow(
      ConfigError,
    );
  });
});

describe('describeDetectorDefaults', () => {
  it('lists every option of every kind with a value and a reason', () => {
    for (const kind of DETECTOR_KINDS) {
      expect(describeDetector(kind).length).toBeGreaterThan(0);
      for (const row of describeDetectorDefaults(kind, 1000)) {
        expect(Number.isFinite(row.value)).toBe(true);
        expect(row.reason.length).toBeGreaterThan(0);
        // Every default is itself a valid value for its option.
        expect(() => parseDetectorSpec({ kind, [row.option]: row.value })).not.toThrow();
      }
    }
  });

  it('scales with the interval as documented', () => {
    const phi = Object.fromEntries(
      describeDetectorDefaults('phi-accrual', 200).map((row) => [row.option, row.value]),
    );
    expect(phi).toEqual({
      threshold: 8,
      minStdDeviationMs: 20,
      acceptableHeartbeatPauseMs: 600,
      windowSize: 32,
      firstHeartbeatEstimateMs: 200,
    });
    const cassandra = describeDetectorDefaults('phi-cassandra', 500);
    expect(cassandra.find((row) => row.option === 'maxIntervalMs')?.value).toBe(1000);
  });

  it('agrees with what the detectors actually use', () => {
    const detector = createDetector({ kind: 'chen' }, { intervalMs: 300 });
    const margin = describeDetectorDefaults('chen', 300).find(
      (row) => row.option === 'safetyMarginMs',
    );
    expect(detector.explain(0).details.safetyMarginMs).toBe(margin?.value);
  });
});
