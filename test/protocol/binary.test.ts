import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EncodeError, type DecodeErrorReason } from '../../src/core/errors.js';
import {
  MAX_DATAGRAM_BYTES,
  MAX_HEARTBEAT_INTERVAL_MS,
  MAX_NODE_ID_BYTES,
  MAX_PAYLOAD_BYTES,
  MAX_PAYLOAD_ENTRIES,
  MAX_PAYLOAD_KEY_BYTES,
  MAX_PAYLOAD_STRING_BYTES,
} from '../../src/core/limits.js';
import { MIN_FRAME_BYTES, decodeBinary, encodeBinary } from '../../src/protocol/binary.js';
import { decodeJson, encodeJson } from '../../src/protocol/json.js';
import type { Message } from '../../src/protocol/message.js';
import { fullMessageArb, sample } from './arbitraries.js';
import { reasonOf } from './reason-of.js';

const GOLDEN =
  'feed01010038057765622d31000000070000002a4278bcfe56800000000003e802046c6f6164013fe0000000000000037665720203312e32';
const GOLDEN_MINIMAL = 'feed0102001d016e000000000000000000000000000000000000000100';

/** A valid frame with some bytes changed (and the length field fixed to the new size). */
function frame(edit: (b: Buffer) => Buffer, msg: Message = sample): Buffer {
  const b = edit(Buffer.from(encodeBinary(msg)));
  if (b.length >= 6) b.writeUInt16BE(b.length & 0xffff, 4);
  return b;
}

describe('binary v1', () => {
  it('has the documented byte layout (golden frames)', () => {
    expect(encodeBinary(sample).toString('hex')).toBe(GOLDEN);
    expect(decodeBinary(Buffer.from(GOLDEN, 'hex'))).toEqual(sample);
    const minimal: Message = {
      type: 'leave',
      nodeId: 'n',
      incarnation: 0,
      seq: 0,
      sentAtMs: 0,
      intervalMs: 1,
    };
    expect(encodeBinary(minimal).toString('hex')).toBe(GOLDEN_MINIMAL);
    expect(encodeBinary(minimal).length).toBe(MIN_FRAME_BYTES);
    expect(decodeBinary(Buffer.from(GOLDEN_MINIMAL, 'hex'))).toEqual(minimal);
  });

  it('round-trips every valid message', () => {
    fc.assert(
      fc.property(fullMessageArb, (msg) => {
        const bytes = encodeBinary(msg);
        expect(bytes.length).toBeLessThanOrEqual(MAX_DATAGRAM_BYTES);
        expect(bytes.readUInt16BE(4)).toBe(bytes.length);
        expect(decodeBinary(bytes)).toEqual(msg);
        // A plain Uint8Array at an offset decodes the same as a Buffer.
        const copy = new Uint8Array(bytes.length + 3);
        copy.set(bytes, 3);
        expect(decodeBinary(copy.subarray(3))).toEqual(msg);
      }),
      { numRuns: 300 },
    );
  });

  it('fits the largest message within one datagram', () => {
    const payload: Record<string, string> = {};
    for (let i = 0; i < 3; i++) payload[`k${i}`.padEnd(60, 'x')] = 'v'.repeat(250);
    const msg = { ...sample, nodeId: 'n'.repeat(MAX_NODE_ID_BYTES), payload };
    const bytes = encodeBinary(msg);
    expect(bytes.length).toBeLessThanOrEqual(MAX_DATAGRAM_BYTES);
    expect(decodeBinary(bytes)).toEqual(msg);
  });

  it('accepts intervalMs up to MAX_HEARTBEAT_INTERVAL_MS (one day), as JSON does', () => {
    const longest = { ...sample, intervalMs: MAX_HEARTBEAT_INTERVAL_MS };
    expect(decodeBinary(encodeBinary(longest))).toEqual(longest);
    expect(decodeJson(encodeJson(longest))).toEqual(longest);
  });

  it('accepts a 255-byte payload string and refuses 256 (the u8 length field)', () => {
    const ok = { ...sample, payload: { s: 'é'.repeat(127) + 'x' } };
    expect(decodeBinary(encodeBinary(ok))).toEqual(ok);
    expect(() => encodeBinary({ ...sample, payload: { s: 'x'.repeat(256) } })).toThrow(EncodeError);
  });

  it('reads -0 as 0 and an empty payload as none', () => {
    const msg = encodeBinary({ ...sample, sentAtMs: -0, payload: { x: -0 } });
    expect(Object.is(decodeBinary(msg).sentAtMs, 0)).toBe(true);
    expect(Object.is(decodeBinary(msg).payload?.x, 0)).toBe(true);
    expect(decodeBinary(encodeBinary({ ...sample, payload: {} })).payload).toBeUndefined();
  });

  describe('rejects, with the reason', () => {
    const cases: [string, () => Uint8Array, DecodeErrorReason][] = [
      ['empty buffer', () => new Uint8Array(0), 'too-short'],
      ['shorter than a header', () => Buffer.from('feed0101', 'hex'), 'too-short'],
      ['over MAX_DATAGRAM_BYTES', () => Buffer.alloc(MAX_DATAGRAM_BYTES + 1, 0xfe), 'too-long'],
      ['wrong first magic byte', () => frame((b) => ((b[0] = 0x48), b)), 'bad-magic'],
      ['wrong second magic byte', () => frame((b) => ((b[1] = 0x00), b)), 'bad-magic'],
      ['a text line', () => Buffer.from('web-1\n'), 'bad-magic'],
      ['version 3', () => frame((b) => ((b[2] = 3), b)), 'bad-version'],
      ['version 0', () => frame((b) => ((b[2] = 0), b)), 'bad-version'],
      ['type 0', () => frame((b) => ((b[3] = 0), b)), 'bad-type'],
      ['type 3', () => frame((b) => ((b[3] = 3), b)), 'bad-type'],
      [
        'declared length over the buffer (truncated)',
        () => encodeBinary(sample).subarray(0, 40),
        'too-short',
      ],
      [
        'declared length under the buffer (extra bytes)',
        () => Buffer.concat([encodeBinary(sample), Buffer.from([0])]),
        'too-long',
      ],
      [
        'empty node id',
        () => frame((b) => Buffer.concat([b.subarray(0, 6), Buffer.from([0]), b.subarray(12)])),
        'bad-node-id',
      ],
      ['node id with a space', () => frame((b) => ((b[9] = 0x20), b)), 'bad-node-id'],
      ['node id with a control character', () => frame((b) => ((b[9] = 0x07), b)), 'bad-node-id'],
      ['node id not UTF-8', () => frame((b) => ((b[9] = 0xff), b)), 'bad-node-id'],
      ['node id length past the end', () => frame((b) => ((b[6] = 250), b)), 'too-short'],
      ['frame ends inside the numbered fields', () => frame((b) => b.subarray(0, 20)), 'too-short'],
      ['intervalMs 0', () => encodeWith((b) => b.writeUInt32BE(0, 28)), 'bad-field'],
      [
        'intervalMs over a day',
        () => encodeWith((b) => b.writeUInt32BE(MAX_HEARTBEAT_INTERVAL_MS + 1, 28)),
        'bad-field',
      ],
      ['intervalMs 1e9', () => encodeWith((b) => b.writeUInt32BE(1e9, 28)), 'bad-field'],
      ['sentAtMs negative', () => encodeWith((b) => b.writeDoubleBE(-1, 20)), 'bad-field'],
      ['sentAtMs NaN', () => encodeWith((b) => b.writeDoubleBE(NaN, 20)), 'bad-field'],
      ['sentAtMs beyond a Date', () => encodeWith((b) => b.writeDoubleBE(1e16, 20)), 'bad-field'],
      [
        'bytes after the payload',
        () => frame((b) => Buffer.concat([b, Buffer.from([1])])),
        'bad-field',
      ],
      [
        'more payload entries than the limit',
        () => encodeWith((b) => (b[32] = MAX_PAYLOAD_ENTRIES + 1)),
        'bad-payload',
      ],
      ['payload count past the end', () => encodeWith((b) => (b[32] = 3)), 'too-short'],
      ['empty payload key', () => encodeWith((b) => (b[33] = 0)), 'bad-payload'],
      ['payload key with a space', () => encodeWith((b) => (b[34] = 0x20)), 'bad-payload'],
      ['payload key not UTF-8', () => encodeWith((b) => (b[34] = 0xc0)), 'bad-payload'],
      ['unknown payload tag', () => encodeWith((b) => (b[38] = 9)), 'bad-payload'],
      [
        'payload number not finite',
        () => encodeWith((b) => b.writeDoubleBE(Infinity, 39)),
        'bad-payload',
      ],
      [
        'payload string with a control character',
        () => encodeWith((b) => (b[53] = 0x01)),
        'bad-payload',
      ],
      ['payload string not UTF-8', () => encodeWith((b) => (b[53] = 0xfe)), 'bad-payload'],
      ['payload string length past the end', () => encodeWith((b) => (b[52] = 9)), 'too-short'],
      [
        'repeated payload key',
        () =>
          frame(
            (b) => {
              const c = Buffer.concat([b, b.subarray(33, 47)]);
              c[32] = 2;
              return c;
            },
            { ...sample, payload: { load: 0.5 } },
          ),
        'bad-payload',
      ],
      ['reserved payload key __proto__', () => encodeProtoKey(), 'bad-payload'],
    ];
    it.each(cases)('%s', (_name, make, reason) => {
      expect(reasonOf(() => decodeBinary(make()))).toBe(reason);
    });
  });

  it('rejects a payload over MAX_PAYLOAD_BYTES even when each entry is within its limits', () => {
    // 5 entries of 1 + 1 + 1 + 1 + 250 bytes = 1270 bytes > 1024; built by hand.
    const entries: Buffer[] = [];
    for (let i = 0; i < 5; i++) {
      entries.push(Buffer.from([1, 0x61 + i, 2, 250]), Buffer.alloc(250, 0x61));
    }
    const head = Buffer.from(encodeBinary({ ...sample, payload: undefined }));
    head[head.length - 1] = 5;
    const b = Buffer.concat([head, ...entries]);
    b.writeUInt16BE(b.length, 4);
    expect(MAX_PAYLOAD_BYTES).toBeLessThan(1270);
    expect(reasonOf(() => decodeBinary(b))).toBe('bad-payload');
  });

  describe('encoder refuses what a decoder would refuse, with EncodeError', () => {
    const bad: [string, Message][] = [
      ['empty node id', { ...sample, nodeId: '' }],
      ['node id too long', { ...sample, nodeId: 'é'.repeat(128) }],
      ['node id with a newline', { ...sample, nodeId: 'a\nb' }],
      ['node id with a lone surrogate', { ...sample, nodeId: 'a\ud800' }],
      ['unknown type', { ...sample, type: 'fail' as Message['type'] }],
      ['missing seq', { ...sample, seq: undefined }],
      ['fractional incarnation', { ...sample, incarnation: 1.5 }],
      ['seq over u32', { ...sample, seq: 2 ** 32 }],
      ['intervalMs 0', { ...sample, intervalMs: 0 }],
      ['intervalMs over a day', { ...sample, intervalMs: MAX_HEARTBEAT_INTERVAL_MS + 1 }],
      ['sentAtMs Infinity', { ...sample, sentAtMs: Infinity }],
      ['payload NaN', { ...sample, payload: { x: NaN } }],
      [
        'payload key too long',
        { ...sample, payload: { ['k'.repeat(MAX_PAYLOAD_KEY_BYTES + 1)]: 1 } },
      ],
      [
        'payload string too long',
        { ...sample, payload: { k: 'v'.repeat(MAX_PAYLOAD_STRING_BYTES + 1) } },
      ],
      [
        'too many payload entries',
        {
          ...sample,
          payload: Object.fromEntries(Array.from({ length: 33 }, (_, i) => [`k${i}`, i])),
        },
      ],
      ['payload value of another type', { ...sample, payload: { k: true as unknown as number } }],
    ];
    it.each(bad)('%s', (_name, msg) => {
      expect(() => encodeBinary(msg)).toThrow(EncodeError);
    });
  });
});

/** The sample encoded, edited in place (offsets as in docs/PROTOCOL.md for node id "web-1"). */
function encodeWith(edit: (b: Buffer) => unknown): Buffer {
  const b = Buffer.from(encodeBinary(sample));
  edit(b);
  return b;
}

/** A frame whose payload key is "__proto__", which encoders refuse, built by hand. */
function encodeProtoKey(): Buffer {
  const b = Buffer.from(encodeBinary({ ...sample, payload: { abcdefghi: 1 } }));
  b.write('__proto__', 34, 'latin1');
  return b;
}
