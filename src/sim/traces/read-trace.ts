import { statSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { FileOpenError, TraceFormatError } from '../../core/errors.js';
import { concatTraces, type ArrivalTrace } from './arrival-trace.js';
import { findCellularRuns, parseCellularRun } from './cellular-att.js';
import { readLines, type Line } from './line-reader.js';
import { looksLikePingReply } from './ping-reply.js';
import { parsePingPlain } from './ping-plain.js';
import { parsePingTimestamped } from './ping-timestamped.js';
import { parseRecording, RECORDING_HEADER } from './recording.js';
import { parseStarlinkTsv } from './starlink-tsv.js';

/** The trace formats `readTrace` understands (see docs/SIMULATOR.md for each one). */
export type TraceFormat =
  'recording' | 'starlink-tsv' | 'ping-timestamped' | 'ping' | 'cellular-att';

export const TRACE_FORMATS: readonly TraceFormat[] = [
  'recording',
  'starlink-tsv',
  'ping-timestamped',
  'ping',
  'cellular-att',
];

export interface ReadTraceOptions {
  /** Skip detection and read the file as this format. @default detected from the first lines */
  format?: TraceFormat;
  /**
   * Sending period of a plain ping log (which has no timestamps), in ms.
   * @default 1000, ping's own default
   */
  pingPeriodMs?: number;
  /**
   * Starlink TSV: keep the pinger's 5 s wait after each lost probe (see parseStarlinkTsv).
   * @default false
   */
  keepProbeTimeouts?: boolean;
  /**
   * For a directory of cellular runs: join them into one trace (`concatTraces`) instead of one
   * trace per run. @default false
   */
  concat?: boolean;
}

/** Lines looked at to detect a format: ping logs start with a banner and maybe warnings. */
const DETECT_LINES = 20;

const TSV_LINE = /^\d+(?:\.\d+)?\t\d+\t-?\d+(?:\.\d+)?$/;
const PING_D_LINE = /^\[\d+(?:\.\d+)?\]\s/;

/**
 * Reads a trace file (or every trace file in a directory, recursively, in path order) into
 * arrival traces. The format is detected from the first lines unless `format` says it. A file
 * that cannot be opened is a FileOpenError; input that cannot be read is a TraceFormatError with
 * one line: `file:line: what is wrong`. A last line
 * cut short (a file still being written, or truncated) is ignored.
 */
export function readTrace(file: string, options: ReadTraceOptions = {}): ArrivalTrace[] {
  let isDirectory: boolean;
  try {
    isDirectory = statSync(file).isDirectory();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new FileOpenError(file, `${file}: cannot open trace (${code})`, { cause: error });
  }
  if (!isDirectory) return readTraceFile(file, path.basename(file), options);

  const files = listFiles(file);
  if (files.length === 0)
    throw new TraceFormatError(file, undefined, 'directory holds no trace files');
  const traces: ArrivalTrace[] = [];
  for (const f of files) traces.push(...readTraceFile(f, path.relative(file, f), options));
  if (options.concat === true) {
    return [concatTraces(path.basename(path.resolve(file)), traces)];
  }
  return traces;
}

/** Every run of a cellular measurement directory, one trace each (empty runs included). */
export function readCellularRuns(dir: string): ArrivalTrace[] {
  return findCellularRuns(dir).flatMap((f) =>
    parseCellularRun(readLines(f), f, path.relative(dir, f)),
  );
}

/** Which format a file is in, from its first lines; `undefined` when none fits. */
export function detectTraceFormat(file: string): TraceFormat | undefined {
  const head: string[] = [];
  for (const line of readLines(file)) {
    head.push(line.text);
    if (head.length >= DETECT_LINES) break;
  }
  return detectFormatOfLines(head);
}

/** Format detection on the first lines of a file (exported for tests). */
export function detectFormatOfLines(head: readonly string[]): TraceFormat | undefined {
  const first = head.find((l) => l.trim() !== '');
  if (first === undefined) return undefined;
  if (first.startsWith(RECORDING_HEADER)) return 'recording';
  if (/^Start time:\s*\d+/.test(first)) return 'cellular-att';
  if (TSV_LINE.test(first.trim())) return 'starlink-tsv';
  for (const line of head) {
    if (!looksLikePingReply(line)) continue;
    return PING_D_LINE.test(line) ? 'ping-timestamped' : 'ping';
  }
  return undefined;
}

function readTraceFile(file: string, name: string, options: ReadTraceOptions): ArrivalTrace[] {
  const format = options.format ?? detectTraceFormat(file);
  if (format === undefined) {
    throw new TraceFormatError(
      file,
      1,
      `unknown trace format (expected one of ${TRACE_FORMATS.join(', ')}; name one with the format option, --format on the command line)`,
    );
  }
  const lines: Iterable<Line> = readLines(file);
  switch (format) {
    case 'recording':
      return parseRecording(lines, file, name);
    case 'starlink-tsv':
      return parseStarlinkTsv(lines, file, name, {
        keepProbeTimeouts: options.keepProbeTimeouts ?? false,
      });
    case 'ping-timestamped':
      return parsePingTimestamped(lines, file, name);
    case 'ping':
      return parsePingPlain(lines, file, name, options.pingPeriodMs);
    case 'cellular-att':
      return parseCellularRun(lines, file, name);
  }
}

/** Files under a directory, recursively, in path order; dot-files and README/Markdown skipped. */
function listFiles(dir: string): string[] {
  const found: string[] = [];
  const walk = (d: string): void => {
    for (const entry of readdirSync(d).sort()) {
      if (entry.startsWith('.') || /\.md$/i.test(entry) || /^readme/i.test(entry)) continue;
      const full = path.join(d, entry);
      if (statSync(full).isDirectory()) walk(full);
      else found.push(full);
    }
  };
  walk(dir);
  return found;
}
