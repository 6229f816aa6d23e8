import path from 'node:path';
import { concatTraces, type ArrivalTrace } from '../traces/arrival-trace.js';
import { ConfigError } from '../../core/errors.js';
import { readTrace, TRACE_FORMATS, type TraceFormat } from '../traces/read-trace.js';

/** File names of one run of a cellular measurement (`ping_<time>.out`). */
const RUN_FILE = /(^|\/)ping_\d+\.out$/;

/**
 * Reads the traces named on a command line. A file gives its trace(s); a directory gives every
 * trace under it, except that short runs of one measurement (`ping_*.out`, 30 s each — too short
 * to measure a mistake rate on) are joined into one trace per top-level folder. Traces in which
 * nothing arrived are dropped.
 */
export function readTraceInputs(
  paths: readonly string[],
  read: { pingPeriodMs?: number | undefined; format?: TraceFormat | undefined } = {},
): ArrivalTrace[] {
  const out: ArrivalTrace[] = [];
  const options = {
    ...(read.pingPeriodMs === undefined ? {} : { pingPeriodMs: read.pingPeriodMs }),
    ...(read.format === undefined ? {} : { format: read.format }),
  };
  for (const p of paths) {
    const runs = new Map<string, ArrivalTrace[]>();
    for (const t of readTrace(p, options)) {
      if (!RUN_FILE.test(t.name)) {
        out.push(t);
        continue;
      }
      const top = t.name.includes('/')
        ? (t.name.split('/')[0] as string)
        : path.basename(path.resolve(p));
      const group = runs.get(top) ?? [];
      group.push(t);
      runs.set(top, group);
    }
    for (const [name, group] of runs) out.push(concatTraces(name, group));
  }
  return out.filter((t) => t.arrivals.some((a) => a.recvMs !== null));
}

/** A trace format named by `--format` (lab, tune), or a ConfigError listing the formats. */
export function traceFormatFlag(value: string | undefined): TraceFormat {
  const format = TRACE_FORMATS.find((f) => f === value);
  if (format === undefined)
    throw new ConfigError(`--format must be one of ${TRACE_FORMATS.join(', ')}`);
  return format;
}
