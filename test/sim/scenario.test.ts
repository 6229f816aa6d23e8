import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/core/errors.js';
import { SeededRng } from '../../src/core/rng.js';
import { createSampler } from '../../src/sim/distribution.js';
import { loadScenario } from '../../src/sim/load-scenario.js';
import { createLossProcess, meanLossRate, type LossSpec } from '../../src/sim/loss-model.js';
import { parseScenario } from '../../src/sim/scenario.js';
import { STANDARD_SCENARIO_NAMES, standardScenarios } from '../../src/sim/scenarios/index.js';

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');

function temp(name: string, text: string): string {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'heartbeat-scn-')), name);
  writeFileSync(file, text);
  return file;
}

describe('parseScenario', () => {
  it('fills every default', () => {
    expect(parseScenario({ name: 'x', durationMs: 1000 })).toEqual({
      name: 'x',
      durationMs: 1000,
      nodes: 1,
      intervalMs: 1000,
      jitterRatio: 0,
      delay: { kind: 'constant', ms: 1 },
      loss: { kind: 'none' },
      clockDriftPpm: 0,
      partitions: [],
      monitor: {},
    });
  });

  it('accepts every part of a full scenario', () => {
    const s = parseScenario({
      name: 'full',
      description: 'all of it',
      durationMs: 60_000,
      nodes: 4,
      intervalMs: 500,
      jitterRatio: 0.2,
      delay: { kind: 'pareto', scaleMs: 5, alpha: 1.2, offsetMs: 3 },
      loss: { kind: 'gilbert-elliott', goodToBad: 0.1, badToGood: 0.5, lossInBad: 0.9 },
      senderPauses: { everyMs: 10_000, durationMs: 300 },
      monitorPauses: { at: [{ atMs: 20_000, durationMs: 2000 }] },
      clockDriftPpm: 50,
      crash: { atMs: 30_000, nodes: 2 },
      partitions: [{ startMs: 5000, durationMs: 1000, nodes: 1 }],
      monitor: { detector: { kind: 'timeout', timeoutMs: 1500 }, deadAfterMs: 2000 },
    });
    expect(s.senderPauses).toEqual({ everyMs: 10_000, durationMs: { kind: 'constant', ms: 300 } });
    expect(s.crash).toEqual({ atMs: 30_000, nodes: 2 });
    expect(s.monitor).toEqual({
      detector: { kind: 'timeout', timeoutMs: 1500 },
      deadAfterMs: 2000,
    });
  });

  it.each([
    [{ durationMs: 1 }, 'scenario: scenario.name must be a non-empty string, got nothing'],
    [{ name: 'x' }, 'scenario: scenario.durationMs is required'],
    [
      { name: 'x', durationMs: -5 },
      'scenario: scenario.durationMs must be a positive number, got -5',
    ],
    [{ name: 'x', durationMs: 1, nodez: 2 }, 'scenario: scenario.nodez is not a known field'],
    [
      { name: 'x', durationMs: 1, delay: { kind: 'gamma' } },
      'scenario.delay.kind must be one of constant',
    ],
    [
      { name: 'x', durationMs: 1, delay: { kind: 'pareto', scaleMs: 1, alpha: 0 } },
      'scenario.delay.alpha must be a positive number, got 0',
    ],
    [
      { name: 'x', durationMs: 1, loss: { kind: 'independent', probability: 2 } },
      'scenario.loss.probability must be a probability between 0 and 1, got 2',
    ],
    [
      { name: 'x', durationMs: 1, crash: { atMs: 1, nodes: 3 } },
      'scenario.crash.nodes must be at most scenario.nodes (1), got 3',
    ],
    [{ name: 'x', durationMs: 1, partitions: {} }, 'scenario.partitions must be a list, got {}'],
    [
      { name: 'x', durationMs: 1, partitions: [{ startMs: 0, durationMs: 700, everyMs: 700 }] },
      'scenario.partitions[0].everyMs must be longer than durationMs (700), got 700',
    ],
    [
      { name: 'x', durationMs: 1, senderPauses: { everyMs: 5 } },
      'scenario.senderPauses.durationMs is required',
    ],
    [
      { name: 'x', durationMs: 1, monitor: { detector: { kind: 'nope' } } },
      'scenario: scenario.monitor.detector.kind must be one of',
    ],
    [
      { name: 'x', durationMs: 1, jitterRatio: 0.9 },
      'scenario.jitterRatio must be at most 0.5, got 0.9',
    ],
  ])('rejects %j with one clear line', (input, message) => {
    expect(() => parseScenario(input)).toThrow(ConfigError);
    expect(() => parseScenario(input)).toThrow(message);
  });
});

describe('loadScenario', () => {
  it('reads YAML and JSON files, resolving an empirical trace next to the file', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'heartbeat-scn-'));
    writeFileSync(
      path.join(dir, 'my.tsv'),
      '#heartbeat-recording v1 wall_origin_ms=0\n10\tn\t1\t1\t0\t1000\n1030\tn\t1\t2\t1000\t1000\n',
    );
    const yamlFile = path.join(dir, 'link.yaml');
    writeFileSync(
      yamlFile,
      'name: link\ndurationMs: 5000\ndelay:\n  kind: empirical\n  trace: my.tsv\n',
    );
    expect(loadScenario(yamlFile).delay).toEqual({ kind: 'empirical', samplesMs: [10, 30] });
    const jsonFile = temp('s.json', JSON.stringify({ name: 'j', durationMs: 10, nodes: 2 }));
    expect(loadScenario(jsonFile).nodes).toBe(2);
  });

  it('names the file in errors', () => {
    const bad = temp('bad.json', '{ "name": ');
    expect(() => loadScenario(bad)).toThrow(new RegExp(`^${bad}: not valid JSON`));
    const invalid = temp('inv.yaml', 'name: x\ndurationMs: zero\n');
    expect(() => loadScenario(invalid)).toThrow(
      `${invalid}: scenario.durationMs must be a number, got "zero"`,
    );
    expect(() => loadScenario('/no/such.yaml')).toThrow(
      '/no/such.yaml: cannot read scenario (ENOENT)',
    );
    const trace = path.join(fixtures, 'starlink.tsv');
    const ok = temp(
      'e.json',
      JSON.stringify({ name: 'e', durationMs: 10, delay: { kind: 'empirical', trace } }),
    );
    expect(loadScenario(ok).delay).toMatchObject({ kind: 'empirical' });
  });
});

describe('distributions and loss', () => {
  const draw = (spec: Parameters<typeof createSampler>[0], n = 20_000) => {
    const rng = new SeededRng(42);
    const sample = createSampler(spec);
    return Array.from({ length: n }, () => sample(rng));
  };
  const avg = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

  it('draw from the distribution they name', () => {
    expect(draw({ kind: 'constant', ms: 7, offsetMs: 3 }, 3)).toEqual([10, 10, 10]);
    const u = draw({ kind: 'uniform', minMs: 10, maxMs: 20 });
    expect(Math.min(...u)).toBeGreaterThanOrEqual(10);
    expect(Math.max(...u)).toBeLessThan(20);
    expect(avg(draw({ kind: 'normal', meanMs: 50, stdDevMs: 5 }))).toBeCloseTo(50, 0);
    const ln = draw({ kind: 'log-normal', medianMs: 20, sigma: 0.5 }).sort((a, b) => a - b);
    expect(ln[ln.length / 2]).toBeGreaterThan(19);
    expect(ln[ln.length / 2]).toBeLessThan(21);
    const p = draw({ kind: 'pareto', scaleMs: 10, alpha: 3 });
    expect(Math.min(...p)).toBeGreaterThanOrEqual(10);
    expect(avg(p)).toBeGreaterThan(14); // mean = alpha·scale/(alpha−1) = 15
    expect(avg(p)).toBeLessThan(16);
    expect(avg(draw({ kind: 'exponential', meanMs: 100 }))).toBeGreaterThan(97);
    expect(new Set(draw({ kind: 'empirical', samplesMs: [1, 2, 3] }))).toEqual(new Set([1, 2, 3]));
  });

  it('Gilbert–Elliott loses in bursts at its long-run rate; independent loss does not cluster', () => {
    const runs = (spec: LossSpec) => {
      const lose = createLossProcess(spec);
      const rng = new SeededRng(7);
      let lost = 0;
      let bursts = 0;
      let prev = false;
      for (let i = 0; i < 200_000; i++) {
        const l = lose(rng);
        if (l) lost++;
        if (l && !prev) bursts++;
        prev = l;
      }
      return { rate: lost / 200_000, meanBurst: lost / bursts };
    };
    const ge: LossSpec = {
      kind: 'gilbert-elliott',
      goodToBad: 0.01,
      badToGood: 0.25,
      lossInBad: 1,
    };
    const bursty = runs(ge);
    expect(bursty.rate).toBeCloseTo(meanLossRate(ge), 2);
    expect(bursty.meanBurst).toBeGreaterThan(3); // mean sojourn in bad = 1 / 0.25 = 4
    const flat = runs({ kind: 'independent', probability: meanLossRate(ge) });
    expect(flat.meanBurst).toBeLessThan(1.1);
  });
});

describe('standard scenarios', () => {
  it('are the five named ones and all valid', () => {
    expect(STANDARD_SCENARIO_NAMES).toEqual([
      'lan',
      'wan',
      'lossy-wifi',
      'gc-pauses',
      'heavy-tail',
    ]);
    expect(standardScenarios().map((s) => s.name)).toEqual(STANDARD_SCENARIO_NAMES);
  });
});
