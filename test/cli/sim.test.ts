import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCommand } from './run-command.js';

const run = runCommand('sim');

async function sim(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await run(argv, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out, err };
}

function scenarioFile(data: object): string {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'heartbeat-simcmd-')), 's.json');
  writeFileSync(file, JSON.stringify(data));
  return file;
}

describe('heartbeat sim', () => {
  it('runs a scenario file and prints the crash it detected', async () => {
    const file = scenarioFile({
      name: 'one-crash',
      durationMs: 60_000,
      nodes: 2,
      crash: { atMs: 20_000 },
      monitor: { detector: { kind: 'timeout', timeoutMs: 3000 }, deadAfterMs: 4000 },
    });
    const r = await sim(file, '--seed', '3', '--check', '--convict-within', '9000');
    expect(r.err).toEqual([]);
    expect(r.code).toBe(0);
    expect(r.out[0]).toMatch(
      /^scenario one-crash, seed 3: 0\.02 h simulated, 2 node\(s\), \d+ heartbeats sent/,
    );
    expect(r.out[1]).toContain('false suspicions 0');
    expect(r.out[2]).toMatch(
      /^ {2}node-001 crashed at 20\.00 s: suspected after [23]\.\d\d s, dead after [67]\.\d\d s$/,
    );
  });

  it('fails a check with the seed to replay, exit 1', async () => {
    const file = scenarioFile({
      name: 'cut',
      durationMs: 60_000,
      partitions: [{ startMs: 10_000, durationMs: 30_000 }],
      monitor: { detector: { kind: 'timeout' } },
    });
    const r = await sim(file, '--seeds', '2', '--check');
    expect(r.code).toBe(1);
    expect(r.out.filter((l) => l.startsWith('scenario cut'))).toHaveLength(2);
    expect(r.err[0]).toMatch(/^FAIL scenario cut seed 1: 1 healthy node\(s\) declared dead/);
    expect(r.err[1]).toMatch(/^FAIL scenario cut seed 2: /);
  });

  it('runs a standard scenario with another detector, as JSON', async () => {
    const r = await sim(
      'lan',
      '--detector',
      '{"kind":"timeout","timeoutMs":2500}',
      '--json',
      '--seed',
      '4',
    );
    expect(r.code).toBe(0);
    const result = JSON.parse(r.out.join('\n')) as {
      scenario: string;
      seed: number;
      transitions?: unknown;
    };
    expect(result.scenario).toBe('lan');
    expect(result.seed).toBe(4);
    expect(result.transitions).toBeUndefined();
  }, 60_000);

  it('gives help, and one clear line with exit 2 for bad input', async () => {
    expect((await sim('--help')).out[0]).toMatch(/^Usage: heartbeat sim/);
    expect(await sim()).toMatchObject({
      code: 2,
      err: [expect.stringContaining('expects one scenario')],
    });
    expect(await sim('lan', '--seed', 'x')).toMatchObject({
      code: 2,
      err: ['heartbeat sim: --seed needs a whole number ≥ 0, got "x"'],
    });
    expect(await sim('lan', '--bogus')).toMatchObject({ code: 2 });
    expect(await sim('lan', '--detector', '{"kind":"nope"}')).toMatchObject({
      code: 2,
      err: [expect.stringContaining('--detector.kind must be one of')],
    });
    expect(await sim('/no/such.yaml')).toMatchObject({
      code: 2,
      err: ['heartbeat sim: /no/such.yaml: cannot read scenario (ENOENT)'],
    });
  });
});
