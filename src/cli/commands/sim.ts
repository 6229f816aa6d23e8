/**
 * `heartbeat sim <scenario> [--seed N] [--seeds K] …`: runs a scenario file (or a standard
 * scenario by name) through the full simulator and prints what happened — false suspicions and
 * convictions, detection times of crashed nodes, optionally every transition. With `--check` a
 * run that convicts a healthy node (or misses a bound) fails with exit status 1 and names its
 * seed.
 */
import { ConfigError } from '../../core/errors.js';
import { parseDetectorSpec } from '../../detectors/registry.js';
import { checkRun, type RunExpectations } from '../../sim/checks.js';
import { loadScenario } from '../../sim/load-scenario.js';
import type { Scenario } from '../../sim/scenario.js';
import {
  STANDARD_SCENARIO_NAMES,
  standardScenario,
  type StandardScenarioName,
} from '../../sim/scenarios/index.js';
import { runScenario, type SimulationResult } from '../../sim/simulator.js';
import type { Command } from '../command.js';
import { intFlag, parseFlags, UsageError, type CliIo } from '../usage.js';

const help = `Usage: heartbeat sim <scenario.yaml|scenario.json|${STANDARD_SCENARIO_NAMES.join('|')}> [options]

Runs a scenario through the real node table and detectors in simulated time (docs/SIMULATOR.md)
and prints false suspicions, false convictions and detection times. The same seed gives the same
run, event for event.

Options:
  --seed N             seed of the run (default: 1)
  --seeds K            run K seeds, N … N+K−1, one line each (default: 1)
  --detector JSON      detector spec for the monitor, e.g. '{"kind":"timeout","timeoutMs":3000}'
  --check              exit 1 if a healthy node is declared dead (or a bound below is missed)
  --detect-within MS   with --check: every crashed node suspected within MS of its crash
  --convict-within MS  with --check: every crashed node dead within MS of its crash
  --transitions        print every transition
  --json               print the results as JSON (transitions only with --transitions)
  -h, --help           this text`;

interface SimArgs {
  scenario: Scenario;
  seed: number;
  seeds: number;
  check: boolean;
  expect: RunExpectations;
  transitions: boolean;
  json: boolean;
}

/** Runs the command; returns the exit status (0 ok, 1 check failed); bad input throws. */
async function run(argv: string[], io: CliIo): Promise<number> {
  const args = parse(argv);
  const results: SimulationResult[] = [];
  const failures: string[] = [];
  for (let seed = args.seed; seed < args.seed + args.seeds; seed++) {
    const result = runScenario(args.scenario, { seed, keepTransitions: true });
    results.push(result);
    if (args.check) failures.push(...checkRun(result, args.expect));
    if (!args.json) {
      for (const line of describe(result, args.transitions)) io.out(line);
    }
  }
  if (args.json) {
    const out = results.map((r) => (args.transitions ? r : { ...r, transitions: undefined }));
    io.out(JSON.stringify(args.seeds === 1 ? out[0] : out, null, 2));
  }
  for (const f of failures) io.err(`FAIL ${f}`);
  return failures.length > 0 ? 1 : 0;
}

function parse(argv: string[]): SimArgs {
  const { values: v, positionals } = parseFlags<{
    seed?: string;
    seeds?: string;
    detector?: string;
    check?: boolean;
    'detect-within'?: string;
    'convict-within'?: string;
    transitions?: boolean;
    json?: boolean;
  }>('sim', argv, {
    seed: { type: 'string' },
    seeds: { type: 'string' },
    detector: { type: 'string' },
    check: { type: 'boolean' },
    'detect-within': { type: 'string' },
    'convict-within': { type: 'string' },
    transitions: { type: 'boolean' },
    json: { type: 'boolean' },
  });
  const [source, ...extra] = positionals;
  if (source === undefined || extra.length > 0) {
    throw new UsageError(
      'expects one scenario: a file or a standard name (see heartbeat sim --help)',
    );
  }
  const scenario = (STANDARD_SCENARIO_NAMES as string[]).includes(source)
    ? standardScenario(source as StandardScenarioName)
    : loadScenario(source);
  if (v.detector !== undefined) {
    let data: unknown;
    try {
      data = JSON.parse(v.detector);
    } catch {
      throw new ConfigError(`--detector needs JSON, got ${JSON.stringify(v.detector)}`);
    }
    scenario.monitor = { ...scenario.monitor, detector: parseDetectorSpec(data, '--detector') };
  }
  const expect: RunExpectations = { noFalseConvictions: true };
  const detect = intFlag('detect-within', v['detect-within'], 0);
  const convict = intFlag('convict-within', v['convict-within'], 0);
  if (detect !== undefined) expect.detectWithinMs = detect;
  if (convict !== undefined) expect.convictWithinMs = convict;
  return {
    scenario,
    seed: intFlag('seed', v.seed, 0) ?? 1,
    seeds: intFlag('seeds', v.seeds, 1) ?? 1,
    check: v.check === true,
    expect,
    transitions: v.transitions === true,
    json: v.json === true,
  };
}

const seconds = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;

/** A few readable lines about one run. */
export function describe(r: SimulationResult, withTransitions: boolean): string[] {
  const hours = r.durationMs / 3_600_000;
  const n = r.network;
  const lines = [
    `scenario ${r.scenario}, seed ${r.seed}: ${hours.toFixed(2)} h simulated, ${r.nodes} node(s), ` +
      `${r.heartbeatsSent} heartbeats sent (${n.delivered} delivered, ${n.lost} lost, ${n.partitioned} partitioned)`,
    `  false suspicions ${r.falseSuspicions} (${r.falseSuspicionsPerHour.toFixed(2)} per node-hour), ` +
      `false convictions ${r.falseConvictions}, monitor stalls ${r.table.stalls}, ` +
      `final: ${Object.entries(r.finalStates)
        .filter(([, count]) => count > 0)
        .map(([state, count]) => `${count} ${state}`)
        .join(', ')}`,
  ];
  for (const c of r.crashes) {
    lines.push(
      `  ${c.nodeId} crashed at ${seconds(c.crashAtMs)}: ` +
        `suspected ${c.detectionMs === null ? 'never' : `after ${seconds(c.detectionMs)}`}, ` +
        `dead ${c.convictionMs === null ? 'never' : `after ${seconds(c.convictionMs)}`}`,
    );
  }
  if (withTransitions) {
    for (const t of r.transitions) {
      lines.push(
        `  ${seconds(t.atMs).padStart(12)}  ${t.nodeId}  ${t.from} → ${t.to}  (${t.reason})`,
      );
    }
  }
  return lines;
}

export const command: Command = {
  name: 'sim',
  help,
  run,
};
