import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DecodeError } from '../../src/core/errors.js';
import { MAX_DATAGRAM_BYTES, MAX_TEXT_LINE_BYTES } from '../../src/core/limits.js';
import { encodeBinary } from '../../src/protocol/binary.js';
import type { Message } from '../../src/protocol/message.js';
import { StreamDecoder } from '../../src/protocol/stream-decoder.js';
import { fullMessageArb, nodeIdArb, sample } from './arbitraries.js';

type Outcome = Message | DecodeError;

/** Feeds `bytes` in the given chunk sizes (cycled) and returns every outcome, then end(). */
function feed(bytes: Uint8Array, sizes: number[] = [bytes.length || 1]): Outcome[] {
  const decoder = new StreamDecoder();
  const out: Outcome[] = [];
  let at = 0;
  for (let k = 0; at < bytes.length; k++) {
    const size = Math.max(1, sizes[k % sizes.length] as number);
    out.push(...decoder.push(bytes.subarray(at, at + size)));
    at += size;
  }
  out.push(...decoder.end());
  return out;
}

const reasons = (out: Outcome[]) =>
  out.map((o) => (o instanceof DecodeError ? `error:${o.reason}` : o.nodeId));

const text = (s: string) => Buffer.from(s, 'utf8');

describe('StreamDecoder', () => {
  it('splits mixed frames and lines, whatever the chunk boundaries', () => {
    const items = fc.array(
      fc.oneof(
        fullMessageArb.map((m) => ({ msg: m, bytes: encodeBinary(m) })),
        nodeIdArb.map((id) => ({
          msg: { type: 'heartbeat', nodeId: id } as Message,
          bytes: text(`${id}\n`),
        })),
      ),
      { minLength: 1, maxLength: 8 },
    );
    fc.assert(
      fc.property(
        items,
        fc.array(fc.integer({ min: 1, max: 300 }), { minLength: 1 }),
        (list, sizes) => {
          const stream = Buffer.concat(list.map((x) => x.bytes));
          expect(feed(stream, sizes)).toEqual(list.map((x) => x.msg));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('decodes byte by byte', () => {
    const stream = Buffer.concat([text('a\r\n'), encodeBinary(sample), text('b\n')]);
    expect(reasons(feed(stream, [1]))).toEqual(['a', 'web-1', 'b']);
  });

  it('skips blank lines and decodes a last line without a newline at end()', () => {
    expect(reasons(feed(text('\n\r\n\nnode1\n\nnode2')))).toEqual(['node1', 'node2']);
  });

  it('reports a bad line or frame and carries on right after it', () => {
    const badFrame = Buffer.from(encodeBinary(sample));
    badFrame[2] = 3; // version 3: unknown
    const stream = Buffer.concat([
      text('two words\n'),
      text('a\n'),
      badFrame,
      text('b\n'),
      Buffer.from([0xc3, 0x28, 0x0a]), // invalid UTF-8
      text('c\n'),
    ]);
    expect(reasons(feed(stream, [7]))).toEqual([
      'error:bad-node-id',
      'a',
      'error:bad-version',
      'b',
      'error:bad-text',
      'c',
    ]);
  });

  it('reports an over-long line once, then resynchronises after its newline', () => {
    const stream = Buffer.concat([text('x'.repeat(5000)), text('\nok\n')]);
    const decoder = new StreamDecoder();
    const out: Outcome[] = [];
    for (let i = 0; i < stream.length; i += 100) {
      out.push(...decoder.push(stream.subarray(i, i + 100)));
      expect(decoder.bufferedBytes).toBeLessThanOrEqual(MAX_TEXT_LINE_BYTES);
    }
    expect(reasons(out)).toEqual(['error:too-long', 'ok']);
  });

  it('accepts a line of exactly MAX_TEXT_LINE_BYTES and refuses one byte more', () => {
    const id = 'x'.repeat(MAX_TEXT_LINE_BYTES - 1);
    expect(reasons(feed(text(`${id}\r\n`)))).toEqual([id]);
    expect(reasons(feed(text(`${id}xx\nok\n`)))).toEqual(['error:too-long', 'ok']);
  });

  it('reports a frame whose length field lies and resynchronises at the next frame', () => {
    const tooLong = Buffer.from(encodeBinary(sample));
    tooLong.writeUInt16BE(MAX_DATAGRAM_BYTES + 1, 4);
    const tooShort = Buffer.from(encodeBinary(sample));
    tooShort.writeUInt16BE(10, 4);
    const next = encodeBinary({ ...sample, nodeId: 'next' });
    expect(reasons(feed(Buffer.concat([tooLong, next])))).toEqual(['error:too-long', 'next']);
    expect(reasons(feed(Buffer.concat([tooShort, next])))).toEqual(['error:too-short', 'next']);
  });

  it('reports a wrong second magic byte and resynchronises at the next newline', () => {
    expect(reasons(feed(Buffer.concat([Buffer.from([0xfe, 0x41, 0x42]), text('\nok\n')])))).toEqual(
      ['error:bad-magic', 'ok'],
    );
  });

  it('reports one error for a run of garbage, not one per byte', () => {
    const garbage = Buffer.alloc(10_000, 0xfe);
    const out = feed(Buffer.concat([garbage, text('\nok\n')]), [333]);
    expect(reasons(out)).toEqual(['error:bad-magic', 'ok']);
  });

  it('reports a text line cut short by a frame, then decodes the frame', () => {
    const stream = Buffer.concat([text('abc'), encodeBinary(sample)]);
    expect(reasons(feed(stream))).toEqual(['error:bad-text', 'web-1']);
  });

  it('reports a frame cut short by the end of the stream', () => {
    const frame = encodeBinary(sample);
    expect(reasons(feed(frame.subarray(0, frame.length - 1)))).toEqual(['error:too-short']);
  });

  it('never holds more than one frame, and copies what it holds', () => {
    const decoder = new StreamDecoder();
    const frame = Buffer.from(encodeBinary(sample));
    const chunk = Buffer.from(frame.subarray(0, 10));
    expect(decoder.push(chunk)).toEqual([]);
    expect(decoder.bufferedBytes).toBe(10);
    chunk.fill(0); // the caller reuses its buffer
    expect(decoder.push(frame.subarray(10))).toEqual([sample]);
    expect(decoder.bufferedBytes).toBe(0);
  });
});
