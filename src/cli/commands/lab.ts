/**
 * `heartbeat lab compare <trace>… [--out DIR]`: sweeps every detector's main parameter over each
 * trace (a recording, a ping log, a directory of them), and writes the frontier of detection time
 * against mistake rate as CSV, SVG and PNG charts and a Markdown table (docs/LAB.md).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { compareTraces, writeComparison } from '../../sim/lab/compare.js';
import { checkGeneralisation, generalisationMarkdown } from '../../sim/lab/generalisation.js';
import { ProgressBar } from '../../sim/lab/progress-bar.js';
import { createQosEvaluate } from '../../sim/lab/qos-evaluate.js';
import { poolRecordings } from '../../sim/lab/fleet.js';
import { readTraceInputs, traceFormatFlag } from '../../sim/lab/trace-inputs.js';
import type { TraceFormat } from '../../sim/traces/read-trace.js';
import { scenarioToTrace } from '../../sim/scenario-trace.js';
import { standardScenarios } from '../../sim/scenarios/index.js';
import type { ArrivalTrace } from '../../sim/traces/arrival-trace.js';
import type { Command } from '../command.js';
import { numberFlag, parseFlags, UsageError, type CliIo } from '../usage.js';

const help = `Usage: heartbeat lab compare <trace>... [options]
       heartbeat lab generalise <trace>... [--mistakes-per-day N[,N…]] [options]

Sweeps each detector's main parameter (timeout; missed beats; the phi threshold of both phi
detectors; Chen's safety margin; the quantile detector's mistake budget) over every trace and
writes, to the output directory:
  results.csv   every setting: detection time (mean, p99, max), mistakes per hour, T_MR, T_M, P_A
  <trace>.svg   the frontier chart (detection time vs mistake rate), and <trace>.png
  RESULTS.md    per-trace tables and the quantile detector's targets

generalise tunes on the first half of each trace, replays the choice on the second half and
writes GENERALISATION.md: does it meet the budget (default: 24 and 240 mistakes per node-day) and detect
within 5 % of the best setting chosen in hindsight on that half?

A <trace> is a file (monitor recording, ping log, Starlink latency file) or a directory of them;
cellular ping runs (ping_*.out) in a directory are joined into one trace, and the nodes of a
monitor recording into one node population (as heartbeat tune does) unless --per-node is given.

Options:
  --out DIR            output directory (default: lab-results)
  --points N           settings per detector, 4 to 200 (default: 28)
  --ping-period-ms MS  sending period of plain ping logs without timestamps (default: 1000)
  --format NAME        read every file as this format instead of detecting it: recording,
                       starlink-tsv, ping-timestamped, ping or cellular-att
  --headroom F         generalise: share of the budget the tuner may use on the first half
                       (default: 0.5, as heartbeat tune)
  --scenarios          also run the standard synthetic scenarios (lan, wan, lossy-wifi,
                       gc-pauses, heavy-tail), one node each
  --seed N             seed of the synthetic scenarios (default: 1)
  --per-node           one trace per node and incarnation of a recording, not pooled
  --quiet              no progress bar
  -h, --help           this text`;

interface LabArgs {
  sub: 'compare' | 'generalise';
  paths: string[];
  outDir: string;
  points: number;
  pingPeriodMs: number | undefined;
  format: TraceFormat | undefined;
  quiet: boolean;
  perDay: number[];
  headroom: number;
  scenarios: boolean;
  seed: number;
  perNode: boolean;
}

function parse(argv: string[]): LabArgs {
  const { values: v, positionals } = parseFlags<{
    out?: string;
    points?: string;
    'ping-period-ms'?: string;
    format?: string;
    quiet?: boolean;
    scenarios?: boolean;
    'per-node'?: boolean;
    headroom?: string;
    seed?: string;
    'mistakes-per-day'?: string;
  }>('lab', argv, {
    out: { type: 'string' },
    points: { type: 'string' },
    'ping-period-ms': { type: 'string' },
    format: { type: 'string' },
    quiet: { type: 'boolean' },
    scenarios: { type: 'boolean' },
    'per-node': { type: 'boolean' },
    headroom: { type: 'string' },
    seed: { type: 'string' },
    'mistakes-per-day': { type: 'string' },
  });
  const [sub, ...paths] = positionals;
  if (sub !== 'compare' && sub !== 'generalise') {
    throw new UsageError(
      sub === undefined
        ? 'needs a subcommand, compare or generalise (see heartbeat lab --help)'
        : `unknown subcommand ${JSON.stringify(sub)} (try: heartbeat lab compare --help)`,
    );
  }
  if (v.out === '') throw new UsageError('--out needs a directory');
  const points = numberFlag('points', v.points, 4, 200);
  const seed = numberFlag('seed', v.seed, 0, 2 ** 32 - 1);
  const args: LabArgs = {
    sub,
    paths,
    outDir: v.out ?? 'lab-results',
    points: points === undefined ? 28 : Math.round(points),
    pingPeriodMs: numberFlag('ping-period-ms', v['ping-period-ms'], 0.001, 3_600_000),
    format: v.format === undefined ? undefined : traceFormatFlag(v.format),
    quiet: v.quiet === true,
    perDay:
      v['mistakes-per-day'] === undefined
        ? [24, 240]
        : v['mistakes-per-day']
            .split(',')
            .map((x) => numberFlag('mistakes-per-day', x, 0, 1e6) as number),
    headroom: numberFlag('headroom', v.headroom, 0.01, 1) ?? 0.5,
    scenarios: v.scenarios === true,
    seed: seed === undefined ? 1 : Math.round(seed),
    perNode: v['per-node'] === true,
  };
  if (args.paths.length === 0 && !args.scenarios)
    throw new UsageError('needs at least one trace file or directory, or --scenarios');
  return args;
}

async function run(argv: string[], io: CliIo): Promise<number> {
  if (argv.length === 0) {
    io.out(help);
    return 2;
  }
  const args = parse(argv);
  const sub = args.sub;
  const read = readTraceInputs(args.paths, {
    pingPeriodMs: args.pingPeriodMs,
    format: args.format,
  });
  const traces: ArrivalTrace[] = args.perNode ? read : poolRecordings(read);
  if (args.scenarios) {
    for (const scenario of standardScenarios()) traces.push(scenarioToTrace(scenario, args.seed));
  }
  if (traces.length === 0) {
    io.err('heartbeat lab: no heartbeat arrived in any of the traces given');
    return 1;
  }
  const tty = process.stderr.isTTY === true;
  // On a terminal the bar redraws in place; otherwise it logs a line per tenth of the way.
  const write = tty
    ? (s: string) => void process.stderr.write(s)
    : (s: string) => io.err(s.trimEnd());
  const evaluate = createQosEvaluate();
  const results =
    sub === 'generalise'
      ? []
      : compareTraces(traces, evaluate, {
          pointsPerDetector: args.points,
          onTraceProgress: args.quiet
            ? undefined
            : (() => {
                const bars = new Map<string, ProgressBar>();
                return (name: string, done: number, total: number) => {
                  let bar = bars.get(name);
                  if (bar === undefined) {
                    bar = new ProgressBar(
                      write,
                      name.length > 40 ? `…${name.slice(-39)}` : name,
                      tty,
                    );
                    bars.set(name, bar);
                  }
                  bar.update(done, total);
                };
              })(),
        });
  if (sub === 'generalise') {
    mkdirSync(args.outDir, { recursive: true });
    const file = path.join(args.outDir, 'GENERALISATION.md');
    const sections: string[] = [];
    for (const perDay of args.perDay) {
      const reports = traces.map((t) =>
        checkGeneralisation(t, perDay, evaluate, {
          pointsPerDetector: args.points,
          headroom: args.headroom,
        }),
      );
      const met = reports.filter((r) => r.meetsMistakes && r.withinFivePercent).length;
      sections.push(
        `## At most ${perDay} mistakes per node-day\n\nBoth conditions held on ${met} of ${reports.length} traces.\n\n${generalisationMarkdown(reports)}\n`,
      );
      io.out(`${perDay} mistakes/day: ${met} of ${reports.length} traces meet both conditions`);
    }
    writeFileSync(
      file,
      `# Tuner generalisation\n\nWritten by \`heartbeat lab generalise\`. For each trace the tuner chooses on the first half (the fastest setting of any detector using at most ${args.headroom} of the budget there), the choice is replayed on the unseen second half, and compared with the best setting for that budget chosen in hindsight on the second half: it must meet the budget there and detect within 5 % of that setting. Mean detection times in heartbeat intervals.\n\n${sections.join('\n')}`,
    );
    io.out(`wrote ${file}`);
    return 0;
  }
  const files = writeComparison(args.outDir, results);
  io.out(`wrote ${files.csv}, ${files.markdown} and ${files.charts.length} charts`);
  for (const t of files.targets) {
    io.out(
      `${t.trace}: target 1 ${t.outOfTheBox.met ? 'met' : 'not met'}, target 2 ${t.atTenPerHour.met ? 'met' : 'not met'}`,
    );
  }
  return 0;
}

export const command: Command = {
  name: 'lab',
  help,
  run,
};
