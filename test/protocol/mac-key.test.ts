/**
 * Our SHA-256 and HMAC-SHA-256 against node:crypto's: the same digest for every length around
 * the block boundaries and for random keys and inputs, and the RFC 4231 test vectors.
 */
import fc from 'fast-check';
import { createHash, createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/core/errors.js';
import { MAC_BYTES, MacKey } from '../../src/protocol/mac-key.js';
import { SHA256_INITIAL_STATE, finishHash, writeDigest } from '../../src/protocol/sha256.js';

function sha256(bytes: Uint8Array): string {
  const state = new Int32Array(SHA256_INITIAL_STATE);
  finishHash(state, bytes, 0, bytes.length, 0);
  const out = Buffer.alloc(32);
  writeDigest(state, out, 0);
  return out.toString('hex');
}

function tag(key: MacKey, bytes: Uint8Array, start = 0, end = bytes.length): string {
  const out = Buffer.alloc(MAC_BYTES);
  key.sign(bytes, start, end, out, 0);
  return out.toString('hex');
}

const reference = (secret: Uint8Array, bytes: Uint8Array): string =>
  createHmac('sha256', secret).update(bytes).digest().subarray(0, MAC_BYTES).toString('hex');

const bytesOf = (n: number): Buffer => Buffer.from(Array.from({ length: n }, (_, i) => i * 31));

describe('SHA-256', () => {
  it('matches node:crypto for every length from 0 to 300 bytes', () => {
    for (let n = 0; n <= 300; n++) {
      const bytes = bytesOf(n);
      expect(sha256(bytes), `${n} bytes`).toBe(createHash('sha256').update(bytes).digest('hex'));
    }
  });

  it('gives the FIPS 180-4 digest of "abc"', () => {
    expect(sha256(Buffer.from('abc'))).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
  });
});

describe('MacKey (HMAC-SHA-256 truncated to 16 bytes)', () => {
  it('gives the RFC 4231 test case 3 MAC, truncated; refuses test case 2 (a 4-byte key)', () => {
    expect(() => new MacKey(Buffer.from('Jefe'))).toThrow(ConfigError);
    const key3 = new MacKey(Buffer.alloc(20, 0xaa));
    expect(tag(key3, Buffer.alloc(50, 0xdd))).toBe('773ea91e36800e46854db8ebd09181a7');
  });

  it('matches createHmac for every length from 0 to 300 bytes and key sizes 16 to 64', () => {
    for (const keyBytes of [16, 20, 32, 33, 63, 64]) {
      const secret = bytesOf(keyBytes).map((b) => b ^ 0x5a);
      const key = new MacKey(secret);
      for (let n = 0; n <= 300; n++) {
        const bytes = bytesOf(n);
        expect(tag(key, bytes), `${keyBytes}-byte key, ${n} bytes`).toBe(reference(secret, bytes));
      }
    }
  });

  it('matches createHmac for random keys and inputs, and over a range of a larger buffer', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 16, maxLength: 64 }),
        fc.uint8Array({ maxLength: 1500 }),
        fc.nat(40),
        fc.nat(40),
        (secret, bytes, before, after) => {
          const key = new MacKey(secret);
          const padded = Buffer.concat([Buffer.alloc(before, 1), bytes, Buffer.alloc(after, 2)]);
          expect(tag(key, padded, before, before + bytes.length)).toBe(reference(secret, bytes));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('verifies its own MAC and refuses any other, or one out of the buffer', () => {
    const key = new MacKey(bytesOf(32));
    const frame = Buffer.concat([bytesOf(70), Buffer.alloc(MAC_BYTES)]);
    key.sign(frame, 0, 70, frame, 70);
    expect(key.verify(frame, 0, 70, 70)).toBe(true);
    for (let i = 0; i < frame.length; i++) {
      const forged = Buffer.from(frame);
      forged[i] = (forged[i] as number) ^ 0x01;
      expect(key.verify(forged, 0, 70, 70), `bit flipped in byte ${i}`).toBe(false);
    }
    expect(new MacKey(bytesOf(33)).verify(frame, 0, 70, 70)).toBe(false);
    expect(key.verify(frame, 0, 70, 71)).toBe(false);
    expect(key.verify(frame, 0, 70, -1)).toBe(false);
  });

  it('refuses a secret shorter than 16 or longer than 64 bytes', () => {
    expect(() => new MacKey(Buffer.alloc(15))).toThrow(/16 to 64 bytes/);
    expect(() => new MacKey(Buffer.alloc(65))).toThrow(/16 to 64 bytes/);
  });
});
