/**
 * Binary v2, the authenticated frame: v1's fields between a key id and a MAC over everything
 * before it. A frame decodes only under the key it names, for the node it names; any change to
 * it is `bad-mac`; v1 stays readable beside it.
 */
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DecodeError } from '../../src/core/errors.js';
import { SeededRng } from '../../src/core/rng.js';
import {
  AUTHENTICATION_BYTES,
  MIN_FRAME_BYTES,
  decodeBinary,
  encodeBinary,
} from '../../src/protocol/binary.js';
import { Keyring } from '../../src/protocol/keyring.js';
import { MAC_BYTES } from '../../src/protocol/mac-key.js';
import type { Message } from '../../src/protocol/message.js';
import { StreamDecoder } from '../../src/protocol/stream-decoder.js';
import { sample } from './arbitraries.js';
import { reasonOf } from './reason-of.js';

const SECRET = Buffer.from(
  '000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f',
  'hex',
);
/** `sample` under key 1 = SECRET: the frame docs/PROTOCOL.md shows. */
const GOLDEN =
  'feed0201004901057765622d31000000070000002a4278bcfe56800000000003e802046c6f6164013fe0000000000000037665720203312e32' +
  '381972598793f387ce8bee304d30cf43';

const ring = new Keyring([{ id: 1, secret: SECRET, primary: true }]);
const signed = (msg: Message = sample, keys: Keyring = ring): Buffer =>
  encodeBinary(msg, keys.signingKey(msg.nodeId));

describe('binary v2 (authenticated)', () => {
  it('has the documented layout: v1 with a key id after the header and a MAC at the end', () => {
    const frame = signed();
    expect(frame.toString('hex')).toBe(GOLDEN);
    const v1 = encodeBinary(sample);
    expect(frame.length).toBe(v1.length + AUTHENTICATION_BYTES);
    expect(frame[2]).toBe(2);
    expect(frame[6]).toBe(1);
    expect(frame.subarray(7, frame.length - MAC_BYTES)).toEqual(v1.subarray(6));
    const mac = createHmac('sha256', SECRET)
      .update(frame.subarray(0, frame.length - MAC_BYTES))
      .digest()
      .subarray(0, MAC_BYTES);
    expect(frame.subarray(frame.length - MAC_BYTES)).toEqual(mac);
  });

  it('decodes under the key it names and says which', () => {
    expect(decodeBinary(signed(), ring)).toEqual({ ...sample, authKeyId: 1 });
    const smallest: Message = { ...sample, nodeId: 'n', payload: undefined };
    delete smallest.payload;
    expect(signed(smallest).length).toBe(MIN_FRAME_BYTES + AUTHENTICATION_BYTES);
    expect(decodeBinary(signed(smallest), ring)).toEqual({ ...smallest, authKeyId: 1 });
  });

  it('keeps v1 readable, unauthenticated', () => {
    const msg = decodeBinary(encodeBinary(sample), ring);
    expect(msg).toEqual(sample);
    expect(msg.authKeyId).toBeUndefined();
  });

  it('refuses a frame under a key it does not hold, or without keys: unknown-key', () => {
    const other = new Keyring([{ id: 7, secret: SECRET, primary: true }]);
    expect(reasonOf(() => decodeBinary(signed(sample, other), ring))).toBe('unknown-key');
    expect(reasonOf(() => decodeBinary(signed()))).toBe('unknown-key');
    expect(reasonOf(() => decodeBinary(signed(), new Keyring()))).toBe('unknown-key');
  });

  it('refuses a frame signed with another secret under the same id: bad-mac', () => {
    const wrong = new Keyring([{ id: 1, secret: Buffer.alloc(32, 9), primary: true }]);
    expect(reasonOf(() => decodeBinary(signed(sample, wrong), ring))).toBe('bad-mac');
  });

  it('refuses every single-bit change: in the header by its framing, after it as bad-mac', () => {
    const frame = signed();
    const idEnd = 8 + 'web-1'.length;
    for (let byte = 0; byte < frame.length; byte++) {
      for (let bit = 0; bit < 8; bit++) {
        const forged = Buffer.from(frame);
        forged[byte] = (forged[byte] as number) ^ (1 << bit);
        const reason = reasonOf(() => decodeBinary(forged, ring));
        const where = `byte ${byte} bit ${bit}`;
        if (byte === 6) expect(reason, where).toBe('unknown-key');
        else if (byte === 7)
          expect(['too-short', 'bad-node-id', 'bad-mac'], where).toContain(reason);
        else if (byte >= 8 && byte < idEnd)
          expect(['bad-node-id', 'bad-mac'], where).toContain(reason);
        else if (byte >= idEnd) expect(reason, where).toBe('bad-mac');
        else expect(reason, where).not.toBe('no error');
      }
    }
  });

  it('refuses a v1 frame relabelled as v2 and a v2 frame relabelled as v1', () => {
    const v1 = encodeBinary(sample);
    const relabelled = Buffer.from(v1);
    relabelled[2] = 2;
    expect(reasonOf(() => decodeBinary(relabelled, ring))).not.toBe('no error');
    const stripped = signed();
    stripped[2] = 1;
    expect(reasonOf(() => decodeBinary(stripped, ring))).not.toBe('no error');
  });

  it('per-node keys: a node key speaks only for its node, and its node only under it', () => {
    const keys = new Keyring([
      { id: 1, secret: SECRET, primary: true },
      { id: 4, secret: Buffer.alloc(32, 4), node: 'db-1', primary: true },
    ]);
    const dbKey = keys.signingKey('db-1');
    const asDb = { ...sample, nodeId: 'db-1' };
    expect(decodeBinary(encodeBinary(asDb, dbKey), keys).authKeyId).toBe(4);
    // db-1's key used for another node: that node has no key 4.
    expect(reasonOf(() => decodeBinary(encodeBinary(sample, dbKey), keys))).toBe('unknown-key');
    // db-1 under the shared key: db-1 has keys of its own, and key 1 is not one of them.
    expect(reasonOf(() => decodeBinary(encodeBinary(asDb, keys.signingKey('web-1')), keys))).toBe(
      'unknown-key',
    );
  });

  it('the stream decoder checks frames against its keys', () => {
    const decoder = new StreamDecoder(ring);
    const forged = signed();
    forged[20] = (forged[20] as number) ^ 1;
    const items = decoder.push(Buffer.concat([signed(), forged, Buffer.from('web-2\n')]));
    expect(
      items.map((i) => (i instanceof DecodeError ? i.reason : (i.authKeyId ?? 'none'))),
    ).toEqual([1, 'bad-mac', 'none']);
    expect(new StreamDecoder().push(signed()).map((i) => (i as DecodeError).reason)).toEqual([
      'unknown-key',
    ]);
  });

  it('20 000 mutated authenticated frames: none decodes unless unchanged', () => {
    const rng = new SeededRng(20_261_209);
    const frame = signed();
    let accepted = 0;
    for (let n = 0; n < 20_000; n++) {
      const b = Buffer.from(frame);
      for (let m = rng.int(1, 3); m > 0; m--) b[rng.int(0, b.length - 1)] = rng.int(0, 255);
      let outcome: unknown;
      try {
        outcome = decodeBinary(b, ring);
      } catch (err) {
        outcome = err;
      }
      if (outcome instanceof DecodeError) continue;
      expect(b.equals(frame), `accepted ${b.toString('hex')}`).toBe(true);
      accepted++;
    }
    expect(accepted).toBeLessThan(100);
  });
});
