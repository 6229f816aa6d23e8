/**
 * The package's public entry points: the README's library use through the root, the root's
 * export list (what a user gets from `heartbeat`, and no internal), and the subpaths' contents.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import * as agent from '../src/agent/index.js';
import * as daemon from '../src/daemon/index.js';
import * as detectors from '../src/detectors/index.js';
import * as root from '../src/index.js';
import * as membership from '../src/membership/index.js';
import * as monitor from '../src/monitor/index.js';
import * as protocol from '../src/protocol/index.js';
import * as sim from '../src/sim/index.js';
import * as store from '../src/store/index.js';
import * as transport from '../src/transport/index.js';
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

/** The names `heartbeat` exports at run time (types are checked by tsc where they are used). */
const ROOT_NAMES = [
  'AddressInUseError',
  'AddressNotAvailableError',
  'Agent',
  'ConfigError',
  'DETECTOR_KINDS',
  'DecodeError',
  'EncodeError',
  'FileOpenError',
  'HeartbeatError',
  'LimitError',
  'ManualClock',
  'NODE_STATES',
  'NodeTable',
  'OptionalDependencyError',
  'SeededRng',
  'StateError',
  'StoreLockedError',
  'StoreOpenError',
  'SystemClock',
  'TraceFormatError',
  'UnknownNodeError',
  'createDetector',
  'limits',
  'parseDetectorSpec',
];

/** Internals that no entry point exports: tests reach them by path. */
const INTERNALS = [
  'DeadlineQueue',
  'Ring',
  'MAGIC_0',
  'MAGIC_1',
  'HEADER_BYTES',
  'classifyArrival',
];

describe('public API: entry points', () => {
  it('the root exports the library a service embeds, and nothing else', () => {
    expect(Object.keys(root).sort()).toEqual([...ROOT_NAMES].sort());
  });

  /** Each subpath, its module, and names it must export. */
  const SUBPATHS: Record<string, [Record<string, unknown>, string[]]> = {
    detectors: [detectors, ['PhiAccrualDetector', 'QuantileDetector', 'createDetector', 'akkaPhi']],
    membership: [membership, ['NodeTable', 'describeStatus', 'NODE_STATES']],
    protocol: [protocol, ['encodeBinary', 'decodeBinary', 'decodeJson', 'StreamDecoder']],
    transport: [transport, ['createSender', 'udpListener', 'MemoryNetwork', 'memoryListener']],
    agent: [agent, ['Agent', 'runAgent', 'PayloadBuilder', 'newIncarnation']],
    monitor: [monitor, ['Monitor', 'StallWatchdog', 'NODE_EVENT_NAMES']],
    store: [store, ['SqliteHistoryStore', 'SCHEMA_VERSION']],
    daemon: [
      daemon,
      ['createMonitor', 'loadMonitorConfig', 'PRESETS', 'ActionRunner', 'ApiServer'],
    ],
    sim: [sim, ['runScenario', 'readTrace', 'evaluateDetector', 'standardScenario']],
  };

  it('package.json exports the root and exactly these subpaths, each its built barrel', () => {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
      exports: Record<string, unknown>;
    };
    const expected: Record<string, unknown> = {
      '.': { types: './dist/index.d.ts', default: './dist/index.js' },
      './package.json': './package.json',
    };
    for (const area of Object.keys(SUBPATHS)) {
      expected[`./${area}`] = {
        types: `./dist/${area}/index.d.ts`,
        default: `./dist/${area}/index.js`,
      };
    }
    expect(pkg.exports).toEqual(expected);
  });

  it('each subpath exports its area, and no entry point exports an internal', () => {
    for (const [area, [module, names]] of Object.entries(SUBPATHS)) {
      const exported = Object.keys(module);
      expect(exported, area).toEqual(expect.arrayContaining(names));
      expect(
        exported.filter((name) => INTERNALS.includes(name)),
        area,
      ).toEqual([]);
    }
    expect(Object.keys(root).filter((name) => INTERNALS.includes(name))).toEqual([]);
  });
});
