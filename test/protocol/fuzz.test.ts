/**
 * Fuzzing the decoders with random and mutated input: bit flips, byte changes, truncations,
 * extensions and length fields that lie, applied to valid encodings, plus pure noise. Every
 * outcome must be a valid message (which re-encodes and decodes to itself) or a DecodeError;
 * anything else thrown is a bug. Reproduce a failure with FUZZ_SEED=<seed printed>.
 */
import fc from 'fast-check';
import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import { DecodeError } from '../../src/core/errors.js';
import { MAX_DATAGRAM_BYTES, MAX_TEXT_LINE_BYTES } from '../../src/core/limits.js';
import { SeededRng } from '../../src/core/rng.js';
import { decodeBinary, encodeBinary } from '../../src/protocol/binary.js';
import type { Message } from '../../src/protocol/message.js';
import { StreamDecoder } from '../../src/protocol/stream-decoder.js';
import { decodeTextLine, encodeTextLine } from '../../src/protocol/text.js';
import { fullMessageArb } from './arbitraries.js';

const SEED = Number(process.env.FUZZ_SEED ?? 20_261_123);
const CASES = 100_000;

/** Valid encodings to mutate, drawn once from the message arbitrary with the same seed. */
const valid: Buffer[] = fc
  .sample(fullMessageArb, { seed: SEED, numRuns: 300 })
  .map((m) => encodeBinary(m));

function randomBytes(rng: SeededRng, length: number): Buffer {
  const b = Buffer.allocUnsafe(length);
  for (let i = 0; i < length; i++) b[i] = rng.int(0, 255);
  return b;
}

/** One fuzz input: a valid encoding with one to three mutations, or noise. */
function mutant(rng: SeededRng): Buffer {
  let b: Buffer = Buffer.from(valid[rng.int(0, valid.length - 1)] as Buffer);
  const mutations = rng.int(1, 3);
  for (let m = 0; m < mutations; m++) {
    const at = rng.int(0, Math.max(0, b.length - 1));
    switch (rng.int(0, 8)) {
      case 0: // bit flip
        if (b.length > 0) b[at] = (b[at] as number) ^ (1 << rng.int(0, 7));
        break;
      case 1: // byte change
        if (b.length > 0) b[at] = rng.int(0, 255);
        break;
      case 2: // truncation
        b = b.subarray(0, rng.int(0, b.length));
        break;
      case 3: // extension
        b = Buffer.concat([b, randomBytes(rng, rng.int(1, 40))]);
        break;
      case 4: // total length lies
        if (b.length >= 6) b.writeUInt16BE(rng.int(0, 0xffff), 4);
        break;
      case 5: // total length lies by a little
        if (b.length >= 6) b.writeUInt16BE(Math.max(0, b.readUInt16BE(4) + rng.int(-3, 3)), 4);
        break;
      case 6: // node id length lies
        if (b.length > 6) b[6] = rng.int(0, 255);
        break;
      case 7: // a length byte deeper inside lies (payload count, key or string length)
        if (b.length > 0) b[rng.int(Math.min(b.length - 1, 6), b.length - 1)] = rng.int(0, 40);
        break;
      default: // pure noise, sometimes with a valid header
        b = randomBytes(rng, rng.int(0, 1600));
        if (rng.next() < 0.5 && b.length >= 6) {
          b[0] = 0xfe;
          b[1] = 0xed;
          b[2] = 1;
          b[3] = rng.int(1, 2);
        }
    }
  }
  return b;
}

/** Throws unless `outcome` is a DecodeError or a message that re-encodes and decodes to itself. */
function check(outcome: unknown, input: Uint8Array): void {
  if (outcome instanceof DecodeError) return;
  if (outcome instanceof Error) {
    throw new Error(
      `seed ${SEED}: ${outcome.name} ${outcome.message} on ${Buffer.from(input).toString('hex')}`,
    );
  }
  const msg = outcome as Message;
  // A text line carries only the node id; everything else is a binary frame.
  const again =
    msg.seq === undefined
      ? decodeTextLine(encodeTextLine(msg.nodeId))
      : decodeBinary(encodeBinary(msg));
  if (!isDeepStrictEqual(again, msg)) {
    throw new Error(`seed ${SEED}: ${JSON.stringify(msg)} re-decodes as ${JSON.stringify(again)}`);
  }
}

describe('fuzz', () => {
  it(`decodeBinary: ${CASES} mutated and random buffers give a message or a DecodeError`, () => {
    const rng = new SeededRng(SEED);
    const counts = { ok: 0, error: 0 };
    for (let n = 0; n < CASES; n++) {
      const input = mutant(rng);
      let outcome: unknown;
      try {
        outcome = decodeBinary(input);
      } catch (err) {
        outcome = err;
      }
      check(outcome, input);
      counts[outcome instanceof DecodeError ? 'error' : 'ok']++;
    }
    // Both outcomes occur, so the fuzzing reaches past the first checks.
    expect(counts.ok).toBeGreaterThan(CASES / 100);
    expect(counts.error).toBeGreaterThan(CASES / 2);
  });

  it(`StreamDecoder: ${CASES} mutated frames and lines in random chunks stay bounded`, () => {
    const rng = new SeededRng(SEED + 1);
    let decoder = new StreamDecoder();
    let messages = 0;
    // Inputs go in groups of 20, cut into random chunks: boundaries fall anywhere.
    for (let n = 0; n < CASES; n += 20) {
      const group: Buffer[] = [];
      for (let k = n; k < n + 20; k++) {
        const r = rng.next();
        group.push(
          r < 0.7
            ? mutant(rng)
            : r < 0.85
              ? Buffer.from(`node-${k}\n`)
              : randomBytes(rng, rng.int(0, MAX_TEXT_LINE_BYTES * 2)),
        );
      }
      const input = Buffer.concat(group);
      for (let at = 0; at < input.length;) {
        const size = rng.int(1, 3000);
        let outcomes: unknown[];
        try {
          outcomes = decoder.push(input.subarray(at, at + size));
        } catch (err) {
          outcomes = [err];
        }
        for (const o of outcomes) {
          check(o, input);
          if (!(o instanceof DecodeError)) messages++;
        }
        if (decoder.bufferedBytes > MAX_DATAGRAM_BYTES) {
          throw new Error(`seed ${SEED}: decoder holds ${decoder.bufferedBytes} bytes`);
        }
        at += size;
      }
      if (rng.next() < 0.1) {
        for (const o of decoder.end()) check(o, input);
        decoder = new StreamDecoder();
      }
    }
    expect(messages).toBeGreaterThan(CASES / 10);
  });
});
