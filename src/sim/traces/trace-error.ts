import { TraceFormatError } from '../../core/errors.js';

/** The one-line error every reader gives for input it cannot read: `file:line: what is wrong`. */
export function traceError(path: string, line: number, problem: string): TraceFormatError {
  return new TraceFormatError(path, line, problem);
}
