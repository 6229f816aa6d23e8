import { describe, expect, it } from 'vitest';
import { FixedTimeoutDetector } from '../../src/detectors/fixed-timeout.js';

describe('FixedTimeoutDetector', () => {
  it('suspects timeoutMs after the last arrival; suspicion is silence in timeouts', () => {
    const detector = new FixedTimeoutDetector({}, { intervalMs: 1000 });
    expect(detector.timeoutMs).toBe(3000);
    detector.heartbeat(100);
    expect(detector.suspicion(1600)).toBe(0.5);
    expect(detector.suspects(3099)).toBe(false);
    expect(detector.suspectAtMs()).toBe(3100);
    expect(detector.suspects(3100)).toBe(true);
    expect(detector.suspicion(3100)).toBe(1);
  });

  it('ignores older and non-finite arrivals', () => {
    const detector = new FixedTimeoutDetector({ timeoutMs: 10 }, { intervalMs: 1000 });
    detector.heartbeat(50);
    detector.heartbeat(40);
    detector.heartbeat(Number.NaN);
    detector.heartbeat(Infinity);
    expect(detector.suspectAtMs()).toBe(60);
  });
});
