import { closeSync, openSync, readSync } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import { FileOpenError, TraceFormatError } from '../../core/errors.js';
import { MAX_TRACE_LINE_BYTES } from '../../core/limits.js';

/** One line of a text file, without its line ending, with its 1-based number. */
export interface Line {
  text: string;
  number: number;
  /** False for a last line that ends without a newline (a file cut short while written). */
  complete: boolean;
}

const CHUNK_BYTES = 1 << 16;

/**
 * Reads a text file line by line in 64 KiB chunks, so a recording of hundreds of megabytes never
 * becomes one string. Accepts `\n` and `\r\n`. A line longer than MAX_TRACE_LINE_BYTES is a
 * TraceFormatError naming the file and line: such a file is not a trace (one that cannot be
 * opened or read is a FileOpenError).
 */
export function* readLines(path: string): Generator<Line> {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (error) {
    throw new FileOpenError(
      path,
      `${path}: cannot open trace (${(error as NodeJS.ErrnoException).code ?? String(error)})`,
      {
        cause: error,
      },
    );
  }
  const decoder = new StringDecoder('utf8');
  const buffer = Buffer.allocUnsafe(CHUNK_BYTES);
  let pending = '';
  let number = 0;
  try {
    for (;;) {
      const n = readChunk(path, fd, buffer);
      if (n === 0) break;
      pending += decoder.write(buffer.subarray(0, n));
      let start = 0;
      for (;;) {
        const nl = pending.indexOf('\n', start);
        if (nl === -1) break;
        number++;
        const end = nl > start && pending.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
        if (end - start > MAX_TRACE_LINE_BYTES) throw tooLong(path, number);
        yield { text: pending.slice(start, end), number, complete: true };
        start = nl + 1;
      }
      pending = pending.slice(start);
      if (pending.length > MAX_TRACE_LINE_BYTES) throw tooLong(path, number + 1);
    }
    pending += decoder.end();
    if (pending.length > 0) yield { text: pending, number: number + 1, complete: false };
  } finally {
    closeSync(fd);
  }
}

function readChunk(path: string, fd: number, buffer: Buffer): number {
  try {
    return readSync(fd, buffer, 0, buffer.length, null);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new FileOpenError(path, `${path}: cannot read trace (${code})`, { cause: error });
  }
}

function tooLong(path: string, line: number): TraceFormatError {
  return new TraceFormatError(
    path,
    line,
    `line longer than ${MAX_TRACE_LINE_BYTES} bytes; not a trace file`,
  );
}
