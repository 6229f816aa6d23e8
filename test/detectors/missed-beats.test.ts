import { describe, expect, it } from 'vitest';
import { MissedBeatsDetector } from '../../src/detectors/missed-beats.js';

describe('MissedBeatsDetector', () => {
  it('counts whole missed intervals and suspects at failureThreshold of them', () => {
    const detector = new MissedBeatsDetector({}, { intervalMs: 1000 });
    detector.heartbeat(5000);
    expect(detector.threshold).toBe(3);
    expect(detector.suspicion(5999)).toBe(0);
    expect(detector.suspicion(6000)).toBe(1);
    expect(detector.suspicion(7500)).toBe(2);
    expect(detector.suspects(7999)).toBe(false);
    expect(detector.suspectAtMs()).toBe(8000);
    expect(detector.suspicion(8000)).toBe(3);
    expect(detector.suspects(8000)).toBe(true);
    expect(detector.explain(9000).details).toEqual({
      intervalMs: 1000,
      failureThreshold: 3,
      missedBeats: 4,
    });
  });

  it('restarts the count at each arrival', () => {
    const detector = new MissedBeatsDetector({ failureThreshold: 1 }, { intervalMs: 250 });
    detector.heartbeat(0);
    detector.heartbeat(240);
    expect(detector.suspectAtMs()).toBe(490);
    expect(detector.suspicion(489)).toBe(0);
    expect(detector.suspicion(490)).toBe(1);
  });
});
