/** The scenario example in docs/SIMULATOR.md is valid and runs. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { parseScenario } from '../../src/sim/scenario.js';
import { runScenario } from '../../src/sim/simulator.js';

const doc = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../docs/SIMULATOR.md');

describe('docs/SIMULATOR.md', () => {
  it('has a scenario example that parses and runs', () => {
    const block = /```yaml\n([\s\S]*?)```/.exec(readFileSync(doc, 'utf8'))?.[1];
    expect(block, 'a ```yaml block in docs/SIMULATOR.md').toBeDefined();
    const scenario = parseScenario(parse(block as string), { source: 'docs/SIMULATOR.md' });
    expect(scenario).toMatchObject({ name: 'branch-office', nodes: 50, clockDriftPpm: 50 });
    const short = { ...scenario, durationMs: 120_000, crash: { atMs: 60_000, nodes: 2 } };
    const r = runScenario(short, { seed: 1 });
    expect(r.crashes.map((c) => c.nodeId)).toEqual(['node-001', 'node-002']);
    expect(r.crashes.every((c) => c.detectionMs !== null)).toBe(true);
  });
});
