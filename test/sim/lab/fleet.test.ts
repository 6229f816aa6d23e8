import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCommand } from '../../cli/run-command.js';
import { shortTraceNote } from '../../../src/cli/commands/tune.js';
import { loadMonitorConfig } from '../../../src/config/index.js';
import { ConfigError } from '../../../src/core/errors.js';
import { nodeOfTrace, pickFleet, poolRecordings } from '../../../src/sim/lab/fleet.js';
import type { ArrivalTrace } from '../../../src/sim/traces/arrival-trace.js';
import { captureIo } from './capture-io.js';

const runLab = runCommand('lab');
const runTune = runCommand('tune');

/** A trace of `count` heartbeats every `intervalMs`, each arriving 5 ms after it was sent. */
function trace(name: string, intervalMs: number, count: number): ArrivalTrace {
  const arrivals = Array.from({ length: count }, (_, i) => ({
    seq: i + 1,
    sentMs: i * intervalMs,
    recvMs: i * intervalMs + 5,
  }));
  return { name, intervalMs, arrivals };
}

describe('the fleet a tuner tunes on', () => {
  it('names the node of a recorded trace, and none for other traces', () => {
    expect(nodeOfTrace('arrivals.tsv#web-1/7')).toBe('web-1');
    expect(nodeOfTrace('dir/arrivals.tsv#db/-')).toBe('db');
    expect(nodeOfTrace('a#b')).toBe('b');
    expect(nodeOfTrace('ping-D.txt')).toBeUndefined();
  });

  it('pools every trace of the largest group sharing an interval, end to end', () => {
    const a = trace('r.tsv#a/1', 100, 50);
    const b = trace('r.tsv#b/1', 100, 30);
    const slow = trace('r.tsv#c/1', 1000, 60);
    const fleet = pickFleet([a, slow, b]);
    // 80 arrivals at 100 ms outweigh 60 at 1 s
    expect(fleet.members).toEqual([a, b]);
    expect(fleet.leftOut).toEqual([slow]);
    expect(fleet.trace.name).toBe('r.tsv (2 traces pooled)');
    expect(fleet.trace.intervalMs).toBe(100);
    expect(fleet.trace.arrivals).toHaveLength(80);
    // b follows a one interval after a's last send, with its sequence numbers continued
    expect(fleet.trace.arrivals[50]).toEqual({ seq: 51, sentMs: 5000, recvMs: 5005 });
  });

  it('pools the lab inputs per recording and interval, keeping other traces apart', () => {
    const a = trace('r.tsv#a/1', 100, 5);
    const ping = trace('ping.txt', 100, 5);
    const b = trace('r.tsv#b/1', 100, 5);
    const slow = trace('r.tsv#c/1', 1000, 5);
    const other = trace('s.tsv#a/1', 100, 5);
    const pooled = poolRecordings([a, ping, b, slow, other]);
    expect(pooled.map((t) => t.name)).toEqual([
      'r.tsv (2 traces pooled)',
      'ping.txt',
      'r.tsv#c/1',
      's.tsv#a/1',
    ]);
    expect(pooled[0]?.arrivals).toHaveLength(10);
    expect(pooled[1]).toBe(ping);
  });

  it('names a pool of traces from several sources by the first', () => {
    const fleet = pickFleet([trace('x.txt', 100, 5), trace('y.txt', 100, 5)]);
    expect(fleet.trace.name).toBe('2 traces pooled (x.txt, …)');
  });

  it('keeps a single trace as it is', () => {
    const a = trace('ping.txt', 200, 10);
    expect(pickFleet([a])).toEqual({ trace: a, members: [a], leftOut: [] });
  });

  it('selects one node, every incarnation of it, or one trace by name', () => {
    const a1 = trace('r.tsv#a/1', 100, 5);
    const a2 = trace('r.tsv#a/2', 100, 5);
    const b = trace('r.tsv#b/1', 100, 5);
    expect(pickFleet([a1, b, a2], 'a').members).toEqual([a1, a2]);
    expect(pickFleet([a1, b, a2], 'r.tsv#b/1').members).toEqual([b]);
    expect(() => pickFleet([a1, b, a2], 'zz')).toThrow(ConfigError);
    expect(() => pickFleet([a1, b, a2], 'zz')).toThrow('no trace of node zz (there are: a, b)');
  });
});

describe('tune on a monitor recording', () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });
  /** Three nodes at 100 ms for 60 s; node n loses every (7 + n)th heartbeat. */
  function recording(): string {
    const lines = ['#heartbeat-recording v1 wall_origin_ms=1700000000000'];
    for (let seq = 1; seq <= 600; seq++) {
      for (const [n, node] of ['web-1', 'web-2', 'db-1'].entries()) {
        if (seq % (7 + n) === 0) continue;
        const sent = 1_700_000_000_000 + seq * 100;
        const recv = seq * 100 + 3 + ((seq * (n + 3)) % 7);
        lines.push(`${recv}\t${node}\t${n + 1}\t${seq}\t${sent}\t100`);
      }
    }
    const dir = mkdtempSync(path.join(tmpdir(), 'tune-'));
    dirs.push(dir);
    const file = path.join(dir, 'arrivals.tsv');
    writeFileSync(file, lines.join('\n') + '\n');
    return file;
  }

  it('pools the nodes and prints a configuration the monitor loads', async () => {
    const file = recording();
    const c = captureIo();
    expect(
      await runTune([file, '--mistakes-per-day', '24', '--points', '6', '--quiet'], c.io),
    ).toBe(0);
    expect(c.err).toEqual([
      'heartbeat tune: pooling 3 traces (arrivals.tsv#web-1/1, arrivals.tsv#web-2/2, arrivals.tsv#db-1/3) as one node population',
    ]);
    const text = c.out.join('\n');
    // 3 × 60 s observed: 24/day at headroom 0.5 allows 0.025 mistakes, which the note says
    expect(text).toContain('note: over 0.050 node-hours this budget allows 0.025 mistakes');
    const json = text.slice(text.indexOf('{'));
    const configFile = path.join(path.dirname(file), 'tuned.json');
    writeFileSync(configFile, json);
    const config = loadMonitorConfig({ file: configFile });
    expect(config.detector).toEqual((JSON.parse(json) as { detector: unknown }).detector);
  });

  it('tunes on one node with --node, and refuses an unknown one with exit status 2', async () => {
    const file = recording();
    const one = captureIo();
    expect(
      await runTune(
        [file, '--mistakes-per-day', '24', '--points', '4', '--quiet', '--json', '--node', 'db-1'],
        one.io,
      ),
    ).toBe(0);
    const result = JSON.parse(one.out.join('\n')) as {
      pooled: string[];
      trace: string;
      observedHours: number;
      note: string | null;
    };
    expect(result.pooled).toEqual(['arrivals.tsv#db-1/3']);
    // 60 s of one node: 24/day at half allows 0.0083 mistakes, which the note says
    expect(result.observedHours).toBeCloseTo(60 / 3600, 3);
    expect(result.note).toMatch(
      /^note: over 0\.017 node-hours this budget allows 0\.0083 mistakes/,
    );
    expect(result.trace).toBe('arrivals.tsv#db-1/3');
    const bad = captureIo();
    expect(await runTune([file, '--mistakes-per-day', '24', '--node', 'nope'], bad.io)).toBe(2);
    expect(bad.err).toEqual([
      'heartbeat tune: no trace of node nope (there are: web-1, web-2, db-1)',
    ]);
  });

  it('is compared as one node population by the lab, or node by node with --per-node', async () => {
    const file = recording();
    const outDir = path.join(path.dirname(file), 'lab');
    const args = ['compare', file, '--points', '4', '--quiet', '--out'];
    const pooled = captureIo();
    expect(await runLab([...args, outDir], pooled.io)).toBe(0);
    const verdicts = pooled.out.filter((l) => l.includes('target 1'));
    expect(verdicts).toHaveLength(1);
    expect(verdicts[0]).toMatch(/^arrivals\.tsv \(3 traces pooled\): target 1/);
    const csv = readFileSync(path.join(outDir, 'results.csv'), 'utf8');
    expect(csv).toContain('arrivals.tsv (3 traces pooled),100,timeout,');
    const apart = captureIo();
    expect(await runLab([...args, `${outDir}-apart`, '--per-node'], apart.io)).toBe(0);
    expect(apart.out.filter((l) => l.includes('target 1'))).toHaveLength(3);
  });

  it('notes a trace too short for its budget, and only then', () => {
    const mistakes = { kind: 'mistakes', perDay: 24 } as const;
    // 24/day = 1/h; at headroom 0.5 two hours allow exactly one mistake
    expect(shortTraceNote(mistakes, 0.5, 2)).toBeUndefined();
    expect(shortTraceNote(mistakes, 0.5, 1)).toBe(
      'note: over 1.0 node-hours this budget allows 0.50 mistakes, so the choice only covers the longest gap seen; 2.0 node-hours would allow one (record longer, or more nodes)',
    );
    expect(shortTraceNote({ kind: 'detection', detectionMs: 500 }, 0.5, 0.01)).toBeUndefined();
  });
});
