import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EncodeError, type DecodeErrorReason } from '../../src/core/errors.js';
import { MAX_TEXT_LINE_BYTES } from '../../src/core/limits.js';
import { decodeTextLine, encodeTextLine } from '../../src/protocol/text.js';
import { nodeIdArb } from './arbitraries.js';
import { reasonOf } from './reason-of.js';

describe('text line', () => {
  it('decodes a node id with or without its newline, dropping a \\r', () => {
    const expected = { type: 'heartbeat', nodeId: 'node1' };
    expect(decodeTextLine('node1\n')).toEqual(expected);
    expect(decodeTextLine('node1')).toEqual(expected);
    expect(decodeTextLine('node1\r\n')).toEqual(expected);
    expect(decodeTextLine('node1\r')).toEqual(expected);
  });

  it('round-trips every valid node id', () => {
    fc.assert(
      fc.property(nodeIdArb, (nodeId) => {
        expect(decodeTextLine(encodeTextLine(nodeId))).toEqual({ type: 'heartbeat', nodeId });
      }),
      { numRuns: 500 },
    );
  });

  it('accepts a 255-byte id followed by \\r\\n', () => {
    const id = 'x'.repeat(255);
    expect(decodeTextLine(`${id}\r\n`).nodeId).toBe(id);
  });

  describe('rejects, with the reason', () => {
    const cases: [string, string, DecodeErrorReason][] = [
      ['an empty line', '\n', 'bad-text'],
      ['an empty string', '', 'bad-text'],
      ['only \\r', '\r\n', 'bad-text'],
      ['a line over MAX_TEXT_LINE_BYTES', `${'x'.repeat(MAX_TEXT_LINE_BYTES + 1)}\n`, 'too-long'],
      ['a multi-byte line over the limit', 'é'.repeat(129), 'too-long'],
      ['a 256-byte id', 'x'.repeat(256), 'bad-node-id'],
      ['two words', 'node 1\n', 'bad-node-id'],
      ['a trailing space', 'node1 \n', 'bad-node-id'],
      ['a control character', 'node\u00011\n', 'bad-node-id'],
      ['an embedded newline', 'a\nb\n', 'bad-node-id'],
    ];
    it.each(cases)('%s', (_name, line, reason) => {
      expect(reasonOf(() => decodeTextLine(line))).toBe(reason);
    });
  });

  it('encoder refuses an invalid node id with EncodeError', () => {
    expect(() => encodeTextLine('a b')).toThrow(EncodeError);
    expect(() => encodeTextLine('')).toThrow(EncodeError);
  });
});
