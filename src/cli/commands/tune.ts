/**
 * `heartbeat tune <trace> --mistakes-per-day N | --detection-ms MS`: sweeps every detector over a
 * recorded trace or ping log and recommends the setting that meets the target, with its predicted
 * detection time and mistake rate, the frontier it chose from, and a configuration fragment to
 * paste into the monitor's config (docs/TUNER.md).
 */
import { pickFleet } from '../../sim/lab/fleet.js';
import { ProgressBar } from '../../sim/lab/progress-bar.js';
import { createQosEvaluate } from '../../sim/lab/qos-evaluate.js';
import type { QualityPoint } from '../../sim/lab/quality-point.js';
import { readTraceInputs, traceFormatFlag } from '../../sim/lab/trace-inputs.js';
import type { TraceFormat } from '../../sim/traces/read-trace.js';
import { configSnippet, tune, type TuneTarget } from '../../sim/lab/tuner.js';
import type { Command } from '../command.js';
import { numberFlag, parseFlags, UsageError, type CliIo } from '../usage.js';

const help = `Usage: heartbeat tune <trace> (--mistakes-per-day N | --detection-ms MS) [options]

Recommends a failure detector and its parameters for the link a trace was recorded on (a
monitor recording made with --record, a ping log, a Starlink latency file, or a directory of
cellular ping runs). A recording of many nodes is tuned as one node population, since the monitor
gives every node the same detector: mistakes are counted per node-hour. Every detector's main
parameter is swept; the choice is:
  --mistakes-per-day N  the fastest setting with at most headroom × N false suspicions per day
  --detection-ms MS     the setting with the fewest false suspicions whose mean detection time
                        is at most MS
Prints the predicted figures, the frontier it chose from, and a configuration fragment.

Options:
  --node ID            tune on one node of a recording (all its incarnations), or one trace by name
  --headroom F         share of the mistake budget the choice may use on this trace, in (0, 1]
                       (default: 0.5, because the future is rarely kinder than the past)
  --points N           settings per detector, 4 to 200 (default: 28)
  --ping-period-ms MS  sending period of plain ping logs without timestamps (default: 1000)
  --format NAME        read every file as this format instead of detecting it: recording,
                       starlink-tsv, ping-timestamped, ping or cellular-att
  --json               print the result as JSON
  --quiet              no progress bar
  -h, --help           this text`;

interface TuneArgs {
  path: string;
  target: TuneTarget;
  headroom: number;
  points: number;
  pingPeriodMs: number | undefined;
  format: TraceFormat | undefined;
  node: string | undefined;
  json: boolean;
  quiet: boolean;
}

function parse(argv: string[]): TuneArgs {
  const { values: v, positionals } = parseFlags<{
    'mistakes-per-day'?: string;
    'detection-ms'?: string;
    headroom?: string;
    points?: string;
    'ping-period-ms'?: string;
    format?: string;
    node?: string;
    json?: boolean;
    quiet?: boolean;
  }>('tune', argv, {
    'mistakes-per-day': { type: 'string' },
    'detection-ms': { type: 'string' },
    headroom: { type: 'string' },
    points: { type: 'string' },
    'ping-period-ms': { type: 'string' },
    format: { type: 'string' },
    node: { type: 'string' },
    json: { type: 'boolean' },
    quiet: { type: 'boolean' },
  });
  const perDay = numberFlag('mistakes-per-day', v['mistakes-per-day'], 0, 1e6);
  const detectionMs = numberFlag('detection-ms', v['detection-ms'], 0.001, 1e9);
  if (perDay !== undefined && detectionMs !== undefined)
    throw new UsageError('give one target: --mistakes-per-day or --detection-ms');
  const target: TuneTarget | undefined =
    perDay !== undefined
      ? { kind: 'mistakes', perDay }
      : detectionMs !== undefined
        ? { kind: 'detection', detectionMs }
        : undefined;
  if (v.node === '') throw new UsageError('--node needs a node id');
  const [path, ...extra] = positionals;
  if (path === undefined || extra.length > 0)
    throw new UsageError('needs exactly one trace file or directory');
  if (target === undefined)
    throw new UsageError('needs a target: --mistakes-per-day N or --detection-ms MS');
  const points = numberFlag('points', v.points, 4, 200);
  return {
    path,
    target,
    headroom: numberFlag('headroom', v.headroom, 0.01, 1) ?? 0.5,
    points: points === undefined ? 28 : Math.round(points),
    pingPeriodMs: numberFlag('ping-period-ms', v['ping-period-ms'], 0.001, 3_600_000),
    format: v.format === undefined ? undefined : traceFormatFlag(v.format),
    node: v.node,
    json: v.json === true,
    quiet: v.quiet === true,
  };
}

const f = (x: number, d = 2): string => (Number.isFinite(x) ? x.toFixed(d) : String(x));

function describe(p: QualityPoint): string {
  return `${p.detector} ${p.param}=${Number(p.value.toPrecision(4))}: T_D ${f(p.detectionMeanMs, 0)} ms (${f(p.detectionIntervals)} intervals, p99 ${f(p.detectionP99Ms, 0)} ms), ${f(p.mistakesPerHour)} mistakes/h (${f(p.mistakesPerHour * 24, 1)}/day)`;
}

/**
 * Says so when the trace is too short for the mistake budget to allow even one mistake on it:
 * then the choice merely covers the longest gap the trace holds, and the budget is not measured.
 */
export function shortTraceNote(
  target: TuneTarget,
  headroom: number,
  hours: number,
): string | undefined {
  if (target.kind !== 'mistakes' || !(target.perDay > 0)) return undefined;
  const allowed = (target.perDay / 24) * headroom * hours;
  if (allowed >= 1) return undefined;
  const needed = 24 / (target.perDay * headroom);
  return `note: over ${hours.toPrecision(2)} node-hours this budget allows ${allowed.toPrecision(2)} mistakes, so the choice only covers the longest gap seen; ${needed.toPrecision(2)} node-hours would allow one (record longer, or more nodes)`;
}

async function run(argv: string[], io: CliIo): Promise<number> {
  const args = parse(argv);
  const traces = readTraceInputs([args.path], {
    pingPeriodMs: args.pingPeriodMs,
    format: args.format,
  });
  if (traces.length === 0) {
    io.err('heartbeat tune: no heartbeat arrived in the trace');
    return 1;
  }
  const fleet = pickFleet(traces, args.node);
  const trace = fleet.trace;
  if (fleet.members.length > 1) {
    io.err(
      `heartbeat tune: pooling ${fleet.members.length} traces (${fleet.members.map((t) => t.name).join(', ')}) as one node population`,
    );
  }
  if (fleet.leftOut.length > 0) {
    io.err(
      `heartbeat tune: left out ${fleet.leftOut.length} with another interval (${fleet.leftOut.map((t) => `${t.name}: ${f(t.intervalMs, 1)} ms`).join(', ')}); tune those with --node`,
    );
  }
  const tty = process.stderr.isTTY === true;
  const write = tty
    ? (s: string) => void process.stderr.write(s)
    : (s: string) => io.err(s.trimEnd());
  const bar = new ProgressBar(write, 'tuning', tty);
  const result = tune(trace, args.target, createQosEvaluate(), {
    headroom: args.headroom,
    pointsPerDetector: args.points,
    ...(args.quiet ? {} : { onProgress: (d: number, t: number) => bar.update(d, t) }),
  });
  if (args.json) {
    io.out(
      JSON.stringify(
        {
          trace: trace.name,
          pooled: fleet.members.map((t) => t.name),
          intervalMs: trace.intervalMs,
          observedHours: result.sweep.hours,
          target: result.target,
          note: shortTraceNote(args.target, args.headroom, result.sweep.hours) ?? null,
          choice: result.choice ?? null,
          frontier: result.frontier,
        },
        null,
        2,
      ),
    );
    return result.choice === undefined ? 1 : 0;
  }
  const targetText =
    args.target.kind === 'mistakes'
      ? `at most ${args.target.perDay} mistakes per node per day (choosing within ${args.headroom * 100} % of it)`
      : `mean detection within ${args.target.detectionMs} ms`;
  io.out(
    `trace ${trace.name}: interval ${f(trace.intervalMs, 1)} ms, ${f(result.sweep.hours)} h observed`,
  );
  io.out(`target: ${targetText}`);
  const note = shortTraceNote(args.target, args.headroom, result.sweep.hours);
  if (note !== undefined) io.out(note);
  io.out('');
  io.out('frontier (best detection time for each mistake rate, over every detector):');
  // Settings far noisier than the target are not candidates; say how many were left out.
  const limit =
    args.target.kind === 'mistakes' ? Math.max(1, (10 * args.target.perDay) / 24) : Infinity;
  const shown = result.frontier.filter((p) => p.mistakesPerHour <= limit);
  for (const p of shown) io.out(`  ${describe(p)}`);
  if (shown.length < result.frontier.length) {
    io.out(
      `  … ${result.frontier.length - shown.length} faster settings with over ${f(limit)} mistakes/h`,
    );
  }
  io.out('');
  if (result.choice?.spec == null) {
    io.out('no swept setting meets the target on this trace; relax it or record a longer trace');
    return 1;
  }
  io.out(`recommended: ${describe(result.choice)}`);
  io.out('configuration:');
  io.out(configSnippet(result.choice.spec));
  return 0;
}

export const command: Command = {
  name: 'tune',
  help,
  run,
};
