/** The library use shown in the README, through the package's public entry point. */
import { describe, expect, it } from 'vitest';
import { ManualClock, NodeTable, type NodeTransition } from '../src/index.js';

describe('public API (README example)', () => {
  it('registers a node, takes heartbeats, answers status and calls back on failure', () => {
    const clock = new ManualClock();
    const table = new NodeTable(
      { clock },
      { detector: { kind: 'phi-accrual' }, deadAfterMs: 5000 },
    );
    table.register('db-1', { address: '10.0.0.5:5432' });
    expect(table.status('db-1')).toBe('no heartbeat received yet');

    const failures: NodeTransition[] = [];
    table.on('node:dead', (t) => failures.push(t));
    for (let seq = 1; seq <= 10; seq++) {
      table.receive({ type: 'heartbeat', nodeId: 'db-1', seq, intervalMs: 1000 });
      clock.advance(1000);
    }
    expect(table.status('db-1')).toBe('ALIVE, last heartbeat 1.0 s ago');
    expect(failures).toEqual([]);

    clock.advance(60_000);
    expect(failures).toHaveLength(1);
    expect(failures[0]?.nodeId).toBe('db-1');
    expect(failures[0]?.evidence.lastSeq).toBe(10);
    expect(table.status('db-1')).toBe('FAILED, no heartbeat for 1 min 1 s');
    table.stop();
  });
});
