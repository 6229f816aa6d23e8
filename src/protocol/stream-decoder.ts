/**
 * Splits a TCP byte stream into messages. One connection may mix binary frames (v1, or v2
 * checked against the decoder's keys) and text lines: a frame starts with the byte 0xFE (never
 * found in UTF-8 text) and is cut by its length field; anything else is a text line cut at `\n`.
 *
 * Errors and resynchronisation (see docs/PROTOCOL.md):
 * - A complete frame or line with bad content yields a DecodeError and decoding goes on right
 *   after it: the framing is intact.
 * - A framing error (second magic byte wrong, a length field outside [MIN_FRAME_BYTES,
 *   MAX_DATAGRAM_BYTES], a line longer than MAX_TEXT_LINE_BYTES) means the boundaries are lost:
 *   it yields one DecodeError, then the decoder skips bytes up to the next `FE ED` or past the
 *   next `\n` and starts again there. Until a message decodes again, further errors are not
 *   reported: the whole garbage run costs one error, so a peer cannot make the decoder allocate
 *   an error per byte. The connection may stay open; a transport that prefers to close it on a
 *   framing error can do so on any `too-long`, `too-short` or `bad-magic` it receives.
 * The decoder holds at most one incomplete frame (< MAX_DATAGRAM_BYTES) or line
 * (≤ MAX_TEXT_LINE_BYTES) between pushes, so a peer cannot make it buffer more.
 */
import { isUtf8 } from 'node:buffer';
import { DecodeError } from '../core/errors.js';
import { MAX_DATAGRAM_BYTES, MAX_TEXT_LINE_BYTES } from '../core/limits.js';
import { HEADER_BYTES, MAGIC_0, MAGIC_1, MIN_FRAME_BYTES, decodeBinary } from './binary.js';
import type { KeyLookup } from './keyring.js';
import type { Message } from './message.js';
import { decodeTextLine } from './text.js';

const NEWLINE = 0x0a;
const EMPTY = Buffer.alloc(0);

export class StreamDecoder {
  private pending: Buffer = EMPTY;
  /** Skipping input after a framing error, up to the next `FE ED` or past the next `\n`. */
  private discarding = false;
  /** A framing error was reported and no message has decoded since: errors are not reported. */
  private quiet = false;

  /** `keys`: what authenticated (v2) frames are checked against; without, each is `unknown-key`. */
  constructor(private readonly keys?: KeyLookup) {}

  /** Bytes held back between pushes (an incomplete frame or line); bounded by the limits. */
  get bufferedBytes(): number {
    return this.pending.length;
  }

  /** Feeds the next chunk of the stream; returns the messages and errors it completes, in order. */
  push(chunk: Uint8Array): (Message | DecodeError)[] {
    const view = Buffer.isBuffer(chunk)
      ? chunk
      : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    const buf = this.pending.length > 0 ? Buffer.concat([this.pending, view]) : view;
    const out: (Message | DecodeError)[] = [];
    const at = this.cut(buf, out);
    // Copy the remainder: the caller may reuse its chunk's memory after push returns.
    this.pending = at < buf.length ? Buffer.from(buf.subarray(at)) : EMPTY;
    return out;
  }

  /**
   * The stream has ended: a last text line without `\n` is decoded (`printf web-1 | nc`), an
   * incomplete frame is reported as `too-short`. The decoder is then empty and can be reused.
   */
  end(): (Message | DecodeError)[] {
    const rest = this.pending;
    this.pending = EMPTY;
    const discarding = this.discarding;
    this.discarding = false;
    this.quiet = false;
    if (rest.length === 0 || discarding) return [];
    if (rest[0] === MAGIC_0) {
      return [new DecodeError('too-short', `stream ended inside a frame (${rest.length} bytes)`)];
    }
    const out: (Message | DecodeError)[] = [];
    this.line(rest, 0, rest.length, out);
    return out;
  }

  /** Cuts every complete frame and line from `buf`; returns where the unconsumed bytes start. */
  private cut(buf: Buffer, out: (Message | DecodeError)[]): number {
    const len = buf.length;
    let at = 0;
    while (at < len) {
      if (this.discarding) {
        let i = at;
        while (i < len && buf[i] !== NEWLINE && !(buf[i] === MAGIC_0 && buf[i + 1] === MAGIC_1)) {
          // A 0xFE as the very last byte may be the start of `FE ED`: keep it for the next push.
          if (buf[i] === MAGIC_0 && i + 1 === len) return i;
          i++;
        }
        if (i === len) return len;
        this.discarding = false;
        at = buf[i] === NEWLINE ? i + 1 : i;
        continue;
      }
      if (buf[at] === MAGIC_0) {
        const available = len - at;
        if (available < 2) return at;
        if (buf[at + 1] !== MAGIC_1) {
          this.framingError(out, 'bad-magic', 'byte 0xFE not followed by 0xED');
          at += 1;
          continue;
        }
        if (available < HEADER_BYTES) return at;
        const declared = buf.readUInt16BE(at + 4);
        if (declared > MAX_DATAGRAM_BYTES) {
          this.framingError(out, 'too-long', `frame declares ${declared} bytes`);
          at += 1;
          continue;
        }
        if (declared < MIN_FRAME_BYTES) {
          this.framingError(out, 'too-short', `frame declares ${declared} bytes`);
          at += 1;
          continue;
        }
        if (available < declared) return at;
        try {
          this.emit(out, decodeBinary(buf.subarray(at, at + declared), this.keys));
        } catch (err) {
          this.emit(out, err as DecodeError);
        }
        at += declared;
        continue;
      }
      // A text line: look for its `\n` (or a 0xFE, which text never holds) within the limit.
      const limitEnd = Math.min(len, at + MAX_TEXT_LINE_BYTES + 1);
      let i = at;
      while (i < limitEnd && buf[i] !== NEWLINE && buf[i] !== MAGIC_0) i++;
      if (i < limitEnd) {
        if (buf[i] === NEWLINE) {
          this.line(buf, at, i, out);
          at = i + 1;
        } else {
          this.emit(out, new DecodeError('bad-text', 'text line interrupted by a binary frame'));
          at = i;
        }
        continue;
      }
      if (i - at > MAX_TEXT_LINE_BYTES) {
        this.framingError(out, 'too-long', `text line is over ${MAX_TEXT_LINE_BYTES} bytes`);
        at = i;
        continue;
      }
      return at;
    }
    return at;
  }

  /** Decodes the line `buf[start, end)` (no `\n`); blank lines (keep-alives) are skipped. */
  private line(buf: Buffer, start: number, end: number, out: (Message | DecodeError)[]): void {
    if (end === start || (end === start + 1 && buf[start] === 0x0d)) return;
    const bytes = buf.subarray(start, end);
    if (!isUtf8(bytes)) {
      this.emit(out, new DecodeError('bad-text', 'text line is not valid UTF-8'));
      return;
    }
    try {
      this.emit(out, decodeTextLine(bytes.toString('utf8')));
    } catch (err) {
      this.emit(out, err as DecodeError);
    }
  }

  /** Adds a message (which ends a garbage run) or an error (unless inside a garbage run). */
  private emit(out: (Message | DecodeError)[], outcome: Message | DecodeError): void {
    if (outcome instanceof DecodeError) {
      if (!this.quiet) out.push(outcome);
    } else {
      this.quiet = false;
      out.push(outcome);
    }
  }

  private framingError(
    out: (Message | DecodeError)[],
    reason: DecodeError['reason'],
    message: string,
  ): void {
    if (!this.quiet) out.push(new DecodeError(reason, `${message}; skipping to the next message`));
    this.quiet = true;
    this.discarding = true;
  }
}
