/** No import circle in src/: every file can be loaded, and understood, before what imports it. */
import { describe, expect, it } from 'vitest';
import { importCycles, importGraph, type ImportGraph } from './import-graph.js';

describe('import graph of src/', () => {
  const graph = importGraph();

  it('reads every source file and its imports', () => {
    expect(graph.size).toBeGreaterThan(100);
    expect(graph.get('membership/node-table.ts')).toContain('core/clock.ts');
    expect(graph.get('cli/main.ts')).toContain('cli/commands/monitor.ts');
  });

  it('has no import circle', () => {
    expect(importCycles(graph).map((cycle) => cycle.join(' → '))).toEqual([]);
  });

  it('finds a circle when there is one, and names its files', () => {
    const circular: ImportGraph = new Map([
      ['a.ts', ['b.ts']],
      ['b.ts', ['c.ts']],
      ['c.ts', ['a.ts', 'd.ts']],
      ['d.ts', []],
      ['e.ts', ['e.ts']],
    ]);
    expect(importCycles(circular)).toEqual([
      ['a.ts', 'b.ts', 'c.ts', 'a.ts'],
      ['e.ts', 'e.ts'],
    ]);
  });
});
