import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCommand } from '../../cli/run-command.js';
import { clairvoyantPoint } from '../../../src/sim/lab/clairvoyant.js';
import { sweepCsv } from '../../../src/sim/lab/csv.js';
import { bestAtRate, paretoFrontier } from '../../../src/sim/lab/frontier.js';
import { checkGeneralisation, splitTrace } from '../../../src/sim/lab/generalisation.js';
import { svgToPng } from '../../../src/sim/lab/png.js';
import { ProgressBar } from '../../../src/sim/lab/progress-bar.js';
import { createQosEvaluate } from '../../../src/sim/lab/qos-evaluate.js';
import type { QualityPoint } from '../../../src/sim/lab/quality-point.js';
import { frontierSvg } from '../../../src/sim/lab/svg-chart.js';
import { sweepTrace } from '../../../src/sim/lab/sweep.js';
import { judgeTargets } from '../../../src/sim/lab/targets.js';
import { chooseSetting } from '../../../src/sim/lab/tuner.js';
import { SeededRng } from '../../../src/core/rng.js';
import type { ArrivalTrace } from '../../../src/sim/traces/arrival-trace.js';
import { captureIo } from './capture-io.js';

const runLab = runCommand('lab');
const runTune = runCommand('tune');

function point(
  detector: string,
  mistakesPerHour: number,
  detectionMeanMs: number,
  value = 1,
): QualityPoint {
  return {
    detector,
    param: 'p',
    value,
    spec: { kind: 'timeout', timeoutMs: value },
    detectionMeanMs,
    detectionP99Ms: detectionMeanMs,
    detectionMaxMs: detectionMeanMs,
    detectionIntervals: detectionMeanMs / 100,
    mistakesPerHour,
    recurrenceMs: NaN,
    mistakeDurationMs: NaN,
    accuracy: 1,
  };
}

/** A 100 ms sender over a jittery link that loses 1 % of its heartbeats, seeded. */
function syntheticTrace(count: number, seed = 7): ArrivalTrace {
  const rng = new SeededRng(seed);
  const arrivals = [];
  for (let i = 0; i < count; i++) {
    const sentMs = i * 100;
    const lost = rng.next() < 0.01;
    arrivals.push({ seq: i + 1, sentMs, recvMs: lost ? null : sentMs + 20 + rng.exponential(10) });
  }
  return { name: 'synthetic', intervalMs: 100, arrivals };
}

describe('frontier', () => {
  it('keeps only the settings nothing beats on both axes, by rising mistake rate', () => {
    const pts = [
      point('a', 5, 100),
      point('a', 1, 300),
      point('a', 2, 350),
      point('a', 0, 900),
      point('a', 10, 100),
    ];
    expect(paretoFrontier(pts).map((p) => [p.mistakesPerHour, p.detectionMeanMs])).toEqual([
      [0, 900],
      [1, 300],
      [5, 100],
    ]);
  });

  it('picks the fastest measured setting within a mistake budget', () => {
    const pts = [point('a', 5, 100), point('b', 1, 300), point('c', 0.5, 400)];
    expect(bestAtRate(pts, 1)?.detector).toBe('b');
    expect(bestAtRate(pts, 0.1)).toBeUndefined();
  });
});

describe('clairvoyant floor', () => {
  it('suspects exactly when the next heartbeat that arrives would have arrived', () => {
    const trace: ArrivalTrace = {
      name: 'hand',
      intervalMs: 100,
      arrivals: [
        { seq: 1, sentMs: 0, recvMs: 10 },
        { seq: 2, sentMs: 100, recvMs: null },
        { seq: 3, sentMs: 200, recvMs: 230 },
        { seq: 4, sentMs: 300, recvMs: 305 },
      ],
    };
    const c = clairvoyantPoint(trace);
    // crash after 1: 230 − 0; after 2: 230 − 100; after 3: 305 − 200; after 4: nothing later
    expect(c.detectionMeanMs).toBeCloseTo((230 + 130 + 105) / 3, 12);
    expect(c.detectionMaxMs).toBe(230);
    expect(c.mistakesPerHour).toBe(0);
  });
});

describe('sweep, outputs and targets', () => {
  const trace = syntheticTrace(3000);
  const evaluate = createQosEvaluate();
  const result = sweepTrace(trace, evaluate, { pointsPerDetector: 8 });

  it('measures every detector, Akka and the defaults, and replays identically twice', () => {
    expect(new Set(result.points.map((p) => p.detector)).size).toBe(6);
    expect(result.defaults).toHaveLength(6);
    expect(result.akka.spec).toMatchObject({
      kind: 'phi-accrual',
      threshold: 8,
      minStdDeviationMs: 10,
    });
    const again = sweepTrace(trace, createQosEvaluate(), { pointsPerDetector: 8 });
    expect(again.points).toEqual(result.points);
    // no detector beats the clairvoyant floor without making mistakes
    for (const p of result.points) {
      if (p.mistakesPerHour === 0)
        expect(p.detectionMeanMs).toBeGreaterThanOrEqual(result.clairvoyant.detectionMeanMs);
    }
  });

  it('writes a CSV row per setting plus the references', () => {
    const lines = sweepCsv([result]).trimEnd().split('\n');
    expect(lines[0]).toMatch(/^trace,interval_ms,detector,param,value,detection_mean_ms/);
    expect(lines).toHaveLength(1 + result.points.length + 2);
    expect(lines[1]).toContain('"{""kind"":');
  });

  it('draws a chart with axes, legend and title, and renders it to PNG', () => {
    const svg = frontierSvg(result);
    for (const text of [
      'synthetic',
      'false suspicions per node-hour',
      'mean detection time',
      'quantile (ours)',
      'Akka defaults, scaled',
      'clairvoyant',
    ])
      expect(svg).toContain(text);
    const png = svgToPng(svg, 480);
    expect(png.subarray(0, 8)).toEqual(
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    );
  });

  it('judges the targets from the measured points', () => {
    const t = judgeTargets(result);
    expect(t).toBeDefined();
    const ours = result.defaults.find((p) => p.detector === 'quantile')!;
    expect(t!.outOfTheBox.ours).toBe(ours);
    expect(t!.outOfTheBox.met).toBe(
      ours.mistakesPerHour <= 1 &&
        (t!.outOfTheBox.baseline === undefined || t!.outOfTheBox.ratio <= 1.05),
    );
  });
});

describe('tuner', () => {
  it('chooses the fastest setting within the headroom of the budget, or the most accurate within a detection budget', () => {
    const pts = [point('a', 0.2, 500), point('b', 0.4, 300), point('c', 0.9, 200)];
    // 24/day = 1/h; headroom 0.5 → ≤ 0.5/h
    expect(chooseSetting(pts, { kind: 'mistakes', perDay: 24 }, 0.5)?.detector).toBe('b');
    expect(chooseSetting(pts, { kind: 'detection', detectionMs: 350 })?.detector).toBe('b');
    expect(chooseSetting(pts, { kind: 'detection', detectionMs: 100 })).toBeUndefined();
  });

  it('splits a trace in two halves and checks the choice on the unseen one', () => {
    const trace = syntheticTrace(4000, 11);
    const [a, b] = splitTrace(trace);
    expect(a.arrivals.length + b.arrivals.length).toBe(4000);
    const report = checkGeneralisation(trace, 240, createQosEvaluate(), { pointsPerDetector: 8 });
    expect(report.tuned).toBeDefined();
    expect(report.unseen?.spec).toEqual(report.tuned?.spec);
    expect(report.meetsMistakes).toBe(report.unseen!.mistakesPerHour <= 10);
  });
});

describe('progress bar', () => {
  it('logs the start and a line per tenth of the way when stderr is not a terminal', () => {
    const lines: string[] = [];
    const bar = new ProgressBar((s) => lines.push(s), 'lagos', false, 10);
    for (let done = 1; done <= 100; done++) bar.update(done, 100);
    expect(lines).toHaveLength(11);
    expect(lines[0]).toBe('lagos [..........] 1/100 1%\n');
    expect(lines[10]).toBe('lagos [##########] 100/100 100%\n');
  });

  it('redraws in place on a terminal and ends the line when done', () => {
    const writes: string[] = [];
    const bar = new ProgressBar((s) => writes.push(s), 'x', true, 4);
    bar.update(1, 2);
    bar.update(2, 2);
    expect(writes).toEqual(['\rx [##..] 1/2 50%', '\rx [####] 2/2 100%\n']);
  });
});

describe('lab and tune commands', () => {
  it('refuse bad flags with one line and exit status 2', async () => {
    const a = captureIo();
    expect(await runLab(['compare', '--points', 'x', 'f'], a.io)).toBe(2);
    expect(a.err).toHaveLength(1);
    expect(a.err[0]).toContain('--points');
    const b = captureIo();
    expect(await runTune(['trace.txt'], b.io)).toBe(2);
    expect(b.err[0]).toContain('target');
    const c = captureIo();
    expect(await runLab(['frobnicate'], c.io)).toBe(2);
  });

  it('read every file as the format --format names, and refuse an unknown one', async () => {
    const fixture = fileURLToPath(new URL('../fixtures/ping-d.txt', import.meta.url));
    const args = [fixture, '--mistakes-per-day', '24', '--points', '4', '--quiet', '--json'];
    const detected = captureIo();
    expect(await runTune(args, detected.io)).toBe(0);
    // detected as `ping -D`: the interval is measured from the timestamps
    expect(JSON.parse(detected.out.join('\n'))).toMatchObject({ intervalMs: 13.766 });
    const forced = captureIo();
    expect(await runTune([...args, '--format', 'ping'], forced.io)).toBe(0);
    // read as plain ping: the timestamps are ignored and the period is ping's default
    expect(JSON.parse(forced.out.join('\n'))).toMatchObject({ intervalMs: 1000 });
    const bad = captureIo();
    expect(await runLab(['compare', fixture, '--format', 'pcap'], bad.io)).toBe(2);
    expect(bad.err).toEqual([
      'heartbeat lab: --format must be one of recording, starlink-tsv, ping-timestamped, ping, cellular-att',
    ]);
  });

  it('print help with exit status 0', async () => {
    const a = captureIo();
    expect(await runLab(['--help'], a.io)).toBe(0);
    expect(a.out.join('\n')).toContain('heartbeat lab compare');
    const b = captureIo();
    expect(await runTune(['--help'], b.io)).toBe(0);
    expect(b.out.join('\n')).toContain('--mistakes-per-day');
  });
});
