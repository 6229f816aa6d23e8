import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EncodeError, type DecodeErrorReason } from '../../src/core/errors.js';
import { MAX_HTTP_BODY_BYTES } from '../../src/core/limits.js';
import { decodeBinary, encodeBinary } from '../../src/protocol/binary.js';
import { decodeJson, encodeJson, jsonText } from '../../src/protocol/json.js';
import type { Message } from '../../src/protocol/message.js';
import { fullMessageArb, jsonMessageArb, sample } from './arbitraries.js';
import { reasonOf } from './reason-of.js';

describe('JSON', () => {
  it('has the documented form', () => {
    expect(encodeJson(sample)).toBe(
      '{"type":"heartbeat","nodeId":"web-1","incarnation":7,"seq":42,"sentAtMs":1700000000000,"intervalMs":1000,"payload":{"load":0.5,"ver":"1.2"}}',
    );
  });

  it('round-trips every valid message, as text and as a parsed value', () => {
    fc.assert(
      fc.property(jsonMessageArb, (msg) => {
        const text = encodeJson(msg);
        expect(decodeJson(text)).toEqual(msg);
        expect(decodeJson(JSON.parse(text))).toEqual(msg);
      }),
      { numRuns: 300 },
    );
  });

  it('agrees with binary v1 on every full message', () => {
    fc.assert(
      fc.property(fullMessageArb, (msg) => {
        expect(decodeJson(encodeJson(msg))).toEqual(decodeBinary(encodeBinary(msg)));
      }),
      { numRuns: 200 },
    );
  });

  it('accepts the smallest heartbeat, defaults the type and ignores unknown fields', () => {
    expect(decodeJson('{"nodeId":"web-1"}')).toEqual({ type: 'heartbeat', nodeId: 'web-1' });
    expect(decodeJson({ nodeId: 'db', type: 'leave', extra: [1, 2], v: 2 })).toEqual({
      type: 'leave',
      nodeId: 'db',
    });
  });

  it('turns a parsed value that throws when read into bad-json', () => {
    const hostile = new Proxy(
      {},
      {
        get() {
          throw new TypeError('no');
        },
      },
    );
    expect(reasonOf(() => decodeJson(hostile))).toBe('bad-json');
  });

  it('returns a fresh object that shares nothing with a parsed input', () => {
    const input = { nodeId: 'a', payload: { x: 1 } };
    const msg = decodeJson(input);
    input.payload.x = 2;
    expect(msg.payload).toEqual({ x: 1 });
  });

  describe('rejects, with the reason', () => {
    const cases: [string, unknown, DecodeErrorReason][] = [
      ['text that is not JSON', '{"nodeId":', 'bad-json'],
      ['an empty string', '', 'bad-json'],
      ['an array', '[]', 'bad-json'],
      ['a number', 42, 'bad-json'],
      ['null', null, 'bad-json'],
      [
        'text over MAX_HTTP_BODY_BYTES',
        `{"nodeId":"a","x":"${'y'.repeat(MAX_HTTP_BODY_BYTES)}"}`,
        'too-long',
      ],
      [
        'multi-byte text over MAX_HTTP_BODY_BYTES',
        `{"nodeId":"a","x":"${'é'.repeat(MAX_HTTP_BODY_BYTES / 2)}"}`,
        'too-long',
      ],
      ['unknown type', { nodeId: 'a', type: 'fail' }, 'bad-type'],
      ['missing node id', { type: 'heartbeat' }, 'bad-node-id'],
      ['node id a number', { nodeId: 5 }, 'bad-node-id'],
      ['node id with a tab', { nodeId: 'a\tb' }, 'bad-node-id'],
      ['node id with an escaped lone surrogate', '{"nodeId":"a\\ud800"}', 'bad-node-id'],
      ['node id with a zero-width space', { nodeId: 'a\u200bb' }, 'bad-node-id'],
      ['node id over 255 bytes', { nodeId: 'x'.repeat(256) }, 'bad-node-id'],
      ['seq a string', { nodeId: 'a', seq: '1' }, 'bad-field'],
      ['seq null', { nodeId: 'a', seq: null }, 'bad-field'],
      ['incarnation negative', { nodeId: 'a', incarnation: -1 }, 'bad-field'],
      ['intervalMs 0', { nodeId: 'a', intervalMs: 0 }, 'bad-field'],
      ['intervalMs 1e8 (over a day)', { nodeId: 'a', intervalMs: 1e8 }, 'bad-field'],
      ['intervalMs 1e12', { nodeId: 'a', intervalMs: 1e12 }, 'bad-field'],
      ['intervalMs fractional', { nodeId: 'a', intervalMs: 1000.5 }, 'bad-field'],
      ['sentAtMs a date string', { nodeId: 'a', sentAtMs: '2024-01-01' }, 'bad-field'],
      ['payload an array', { nodeId: 'a', payload: [1] }, 'bad-payload'],
      ['payload value an object', { nodeId: 'a', payload: { k: {} } }, 'bad-payload'],
      ['payload value a boolean', { nodeId: 'a', payload: { k: true } }, 'bad-payload'],
      ['payload key __proto__', '{"nodeId":"a","payload":{"__proto__":1}}', 'bad-payload'],
      ['payload string with a newline', { nodeId: 'a', payload: { k: 'a\nb' } }, 'bad-payload'],
      [
        'payload with 33 entries',
        {
          nodeId: 'a',
          payload: Object.fromEntries(Array.from({ length: 33 }, (_, i) => [`k${i}`, i])),
        },
        'bad-payload',
      ],
      [
        'payload over MAX_PAYLOAD_BYTES',
        {
          nodeId: 'a',
          payload: Object.fromEntries(
            Array.from({ length: 5 }, (_, i) => [`k${i}`, 'v'.repeat(250)]),
          ),
        },
        'bad-payload',
      ],
    ];
    it.each(cases)('%s', (_name, input, reason) => {
      expect(reasonOf(() => decodeJson(input))).toBe(reason);
    });
  });

  it('decodes JSON bytes, refusing invalid UTF-8 instead of replacing it with U+FFFD', () => {
    // Repaired, both would read as "web\ufffd": two senders, one node.
    const xff = Buffer.from('{"nodeId":"web\xff"}', 'latin1');
    const xfe = Buffer.from('{"nodeId":"web\xfe"}', 'latin1');
    expect(xff.toString('utf8')).toBe(xfe.toString('utf8'));
    expect(reasonOf(() => decodeJson(xff))).toBe('bad-json');
    expect(reasonOf(() => decodeJson(xfe))).toBe('bad-json');
    expect(() => jsonText(xff)).toThrow('JSON text is not valid UTF-8');
    const invalid = [
      [0x7b, 0x22, 0x80, 0x22, 0x7d], // a lone continuation byte
      [0x7b, 0x22, 0xc0, 0xaf, 0x22, 0x7d], // an overlong "/"
      [0x7b, 0x22, 0xed, 0xa0, 0x80, 0x22, 0x7d], // a UTF-16 surrogate
      [0x7b, 0x22, 0xe2, 0x82, 0x22, 0x7d], // a truncated sequence
    ];
    for (const bytes of invalid)
      expect(reasonOf(() => decodeJson(Buffer.from(bytes)))).toBe('bad-json');
    // Valid UTF-8 bytes decode as the text does, from a Buffer or any Uint8Array view.
    const text = '{"nodeId":"wëb-1","payload":{"city":"Zürich"}}';
    expect(decodeJson(Buffer.from(text))).toEqual(decodeJson(text));
    const view = new Uint8Array(Buffer.from(`xx${text}yy`)).subarray(
      2,
      2 + Buffer.byteLength(text),
    );
    expect(decodeJson(view)).toEqual(decodeJson(text));
    expect(reasonOf(() => decodeJson(Buffer.alloc(MAX_HTTP_BODY_BYTES + 1, 0x20)))).toBe(
      'too-long',
    );
  });

  it('encoder refuses an invalid message with EncodeError', () => {
    expect(() => encodeJson({ ...sample, nodeId: 'two words' })).toThrow(EncodeError);
    expect(() => encodeJson({ ...sample, seq: -1 })).toThrow(EncodeError);
    expect(() => encodeJson({ type: 'heartbeat', nodeId: 'a' } as Message)).not.toThrow();
  });
});
