/**
 * Binary v1 and v2: the compact encoding agents send over UDP (one message per datagram) and TCP
 * (the same bytes as a frame; the length field delimits it). v2 is v1 with a key id after the
 * header and a MAC at the end: an authenticated message. Layout, byte by byte, in
 * docs/PROTOCOL.md. All integers are big-endian.
 *
 * Encoders refuse a message that a decoder would refuse, with an EncodeError (the message comes
 * from the sender's own options or payload callback). Decoders throw only DecodeError, check
 * every length before reading, and never read past the buffer or allocate beyond the limits. A
 * v2 frame's MAC is checked before its fields are read (after its node id, which names the keys
 * it may be under), so a forged frame costs one MAC and no parsing.
 */
import { isUtf8 } from 'node:buffer';
import { DecodeError, EncodeError } from '../core/errors.js';
import { MAX_DATAGRAM_BYTES, MAX_PAYLOAD_BYTES, MAX_PAYLOAD_ENTRIES } from '../core/limits.js';
import type { KeyLookup, SigningKey } from './keyring.js';
import { MAC_BYTES } from './mac-key.js';
import type { Message, MessageType, Payload } from './message.js';
import {
  PAYLOAD_TAG_NUMBER,
  PAYLOAD_TAG_STRING,
  checkFields,
  checkIntervalMs,
  checkNodeId,
  checkPayloadKey,
  checkSentAtMs,
  normalizeNumber,
  payloadBytes,
  payloadValueBytes,
  utf8Length,
  type Problem,
} from './validate.js';

/** First two bytes of every frame. 0xFE never occurs in UTF-8, so it cannot start a text line. */
export const MAGIC_0 = 0xfe;
export const MAGIC_1 = 0xed;
/** The version of an unauthenticated frame. */
export const BINARY_VERSION = 1;
/** The version of an authenticated frame: v1's fields between a key id and a MAC. */
export const AUTHENTICATED_VERSION = 2;
export const TYPE_HEARTBEAT = 0x01;
export const TYPE_LEAVE = 0x02;

/** Magic (2), version (1), type (1), total length (2): the part every version keeps. */
export const HEADER_BYTES = 6;
/** Header, a one-byte node id, the four numbered fields and an empty payload count. */
export const MIN_FRAME_BYTES = HEADER_BYTES + 1 + 1 + 4 + 4 + 8 + 4 + 1;
/** What v2 adds to v1: the key id byte and the MAC. */
export const AUTHENTICATION_BYTES = 1 + MAC_BYTES;

const TYPE_CODES: Record<MessageType, number> = { heartbeat: TYPE_HEARTBEAT, leave: TYPE_LEAVE };

/**
 * Encodes a message as one frame: binary v1, or with `key` binary v2, authenticated under that
 * key. Throws EncodeError if the message is not valid.
 */
export function encodeBinary(msg: Message, key?: SigningKey): Buffer {
  const invalid = checkFields(msg, true);
  if (invalid) throw new EncodeError(`cannot encode message: ${invalid.message}`);
  const idBytes = utf8Length(msg.nodeId);
  const payload = msg.payload;
  const payloadSize = payload === undefined ? 1 : payloadBytes(payload);
  if (typeof payloadSize !== 'number') {
    throw new EncodeError(`cannot encode message: ${payloadSize.message}`);
  }
  const extra = key === undefined ? 0 : AUTHENTICATION_BYTES;
  const total = HEADER_BYTES + 1 + idBytes + 4 + 4 + 8 + 4 + payloadSize + extra;
  const buf = Buffer.allocUnsafe(total);
  buf[0] = MAGIC_0;
  buf[1] = MAGIC_1;
  buf[2] = key === undefined ? BINARY_VERSION : AUTHENTICATED_VERSION;
  buf[3] = TYPE_CODES[msg.type];
  buf.writeUInt16BE(total, 4);
  let at = HEADER_BYTES;
  if (key !== undefined) buf[at++] = key.id;
  buf[at] = idBytes;
  at += 1 + buf.write(msg.nodeId, at + 1, 'utf8');
  at = buf.writeUInt32BE(msg.incarnation as number, at);
  at = buf.writeUInt32BE(msg.seq as number, at);
  at = buf.writeDoubleBE(msg.sentAtMs as number, at);
  at = buf.writeUInt32BE(msg.intervalMs as number, at);
  const countAt = at;
  at = buf.writeUInt8(0, at);
  if (payload !== undefined) {
    let count = 0;
    for (const key in payload) {
      if (!Object.hasOwn(payload, key)) continue;
      count++;
      const value = payload[key] as number | string;
      const keyStart = at + 1;
      const keyBytes = buf.write(key, keyStart, 'utf8');
      buf[at] = keyBytes;
      at = keyStart + keyBytes;
      if (typeof value === 'number') {
        buf[at] = PAYLOAD_TAG_NUMBER;
        at = buf.writeDoubleBE(value, at + 1);
      } else {
        buf[at] = PAYLOAD_TAG_STRING;
        const valueBytes = buf.write(value, at + 2, 'utf8');
        buf[at + 1] = valueBytes;
        at += 2 + valueBytes;
      }
    }
    buf[countAt] = count;
  }
  if (key !== undefined) key.mac.sign(buf, 0, total - MAC_BYTES, buf, total - MAC_BYTES);
  return buf;
}

function fail(p: Problem): never {
  throw new DecodeError(p.reason, p.message);
}

/** Throws `too-short` unless `bytes` more bytes from `at` lie within the frame. */
function need(at: number, bytes: number, end: number, what: string): void {
  if (at + bytes > end) throw new DecodeError('too-short', `frame ends inside ${what}`);
}

/** Reads `length` bytes at `at` as UTF-8, refusing invalid sequences (never replacing them). */
function readUtf8(
  buf: Buffer,
  at: number,
  length: number,
  end: number,
  what: string,
  reason: Problem['reason'],
): string {
  need(at, length, end, what);
  if (!isUtf8(buf.subarray(at, at + length))) {
    throw new DecodeError(reason, `${what} is not valid UTF-8`);
  }
  return buf.toString('utf8', at, at + length);
}

/**
 * Decodes one binary frame (a whole UDP datagram, or one TCP frame cut by its length field):
 * v1, or v2 when `keys` hold the key it names and its MAC is right (the message then carries
 * `authKeyId`). The buffer must hold exactly the frame: a declared length that differs from the
 * buffer's is an error. Throws only DecodeError: `unknown-key` for a v2 frame under a key the
 * keys do not hold for its node (or without keys), `bad-mac` for a MAC that is wrong.
 */
export function decodeBinary(input: Uint8Array, keys?: KeyLookup): Message {
  if (input.length > MAX_DATAGRAM_BYTES) {
    throw new DecodeError('too-long', `frame is ${input.length} bytes, over ${MAX_DATAGRAM_BYTES}`);
  }
  if (input.length < HEADER_BYTES) {
    throw new DecodeError(
      'too-short',
      `frame is ${input.length} bytes, header needs ${HEADER_BYTES}`,
    );
  }
  const buf = Buffer.isBuffer(input)
    ? input
    : Buffer.from(input.buffer, input.byteOffset, input.byteLength);
  if (buf[0] !== MAGIC_0 || buf[1] !== MAGIC_1) {
    throw new DecodeError('bad-magic', 'frame does not start with the magic bytes FE ED');
  }
  const version = buf[2];
  if (version !== BINARY_VERSION && version !== AUTHENTICATED_VERSION) {
    throw new DecodeError(
      'bad-version',
      `frame version ${version} is not ${BINARY_VERSION} or ${AUTHENTICATED_VERSION}`,
    );
  }
  const typeCode = buf[3];
  const type: MessageType | undefined =
    typeCode === TYPE_HEARTBEAT ? 'heartbeat' : typeCode === TYPE_LEAVE ? 'leave' : undefined;
  if (type === undefined) throw new DecodeError('bad-type', `unknown message type ${typeCode}`);
  const declared = buf.readUInt16BE(4);
  if (declared > buf.length) {
    throw new DecodeError('too-short', `frame declares ${declared} bytes, has ${buf.length}`);
  }
  if (declared < buf.length) {
    throw new DecodeError('too-long', `frame declares ${declared} bytes, has ${buf.length}`);
  }
  let end = declared;
  let at = HEADER_BYTES;
  let keyId: number | undefined;
  if (version === AUTHENTICATED_VERSION) {
    need(at, AUTHENTICATION_BYTES, end, 'key id and MAC');
    keyId = buf[at++] as number;
    end -= MAC_BYTES;
  }

  need(at, 1, end, 'node id length');
  const idLength = buf[at++] as number;
  const nodeId = readUtf8(buf, at, idLength, end, 'node id', 'bad-node-id');
  at += idLength;
  const idProblem = checkNodeId(nodeId);
  if (idProblem) fail(idProblem);
  if (keyId !== undefined) checkMac(buf, end, nodeId, keyId, keys);

  need(at, 4 + 4 + 8 + 4 + 1, end, 'numbered fields');
  const incarnation = buf.readUInt32BE(at);
  const seq = buf.readUInt32BE(at + 4);
  const sentAtMs = normalizeNumber(buf.readDoubleBE(at + 8));
  const intervalMs = buf.readUInt32BE(at + 16);
  const count = buf[at + 20] as number;
  at += 21;
  const fieldProblem = checkSentAtMs(sentAtMs) ?? checkIntervalMs(intervalMs);
  if (fieldProblem) fail(fieldProblem);
  if (count > MAX_PAYLOAD_ENTRIES) {
    throw new DecodeError(
      'bad-payload',
      `payload has ${count} entries, over ${MAX_PAYLOAD_ENTRIES}`,
    );
  }
  // The payload (count byte included) runs to the end of the frame: bound it before reading.
  if (end - at + 1 > MAX_PAYLOAD_BYTES) {
    throw new DecodeError('bad-payload', `payload is larger than ${MAX_PAYLOAD_BYTES} bytes`);
  }

  // One literal per kind, so each kind of message keeps one shape (no property added later).
  const msg: Message =
    keyId === undefined
      ? { type, nodeId, incarnation, seq, sentAtMs, intervalMs }
      : { type, nodeId, incarnation, seq, sentAtMs, intervalMs, authKeyId: keyId };
  if (count > 0) {
    const payload: Payload = {};
    for (let i = 0; i < count; i++) {
      need(at, 1, end, 'payload key length');
      const keyLength = buf[at++] as number;
      const key = readUtf8(buf, at, keyLength, end, 'payload key', 'bad-payload');
      at += keyLength;
      const keyProblem = checkPayloadKey(key);
      if (keyProblem) fail(keyProblem);
      if (Object.hasOwn(payload, key)) {
        throw new DecodeError('bad-payload', `payload key ${JSON.stringify(key)} repeats`);
      }
      need(at, 1, end, 'payload tag');
      const tag = buf[at++];
      let value: number | string;
      if (tag === PAYLOAD_TAG_NUMBER) {
        need(at, 8, end, 'payload number');
        value = normalizeNumber(buf.readDoubleBE(at));
        at += 8;
      } else if (tag === PAYLOAD_TAG_STRING) {
        need(at, 1, end, 'payload string length');
        const valueLength = buf[at++] as number;
        value = readUtf8(buf, at, valueLength, end, 'payload string', 'bad-payload');
        at += valueLength;
      } else {
        throw new DecodeError('bad-payload', `unknown payload tag ${tag}`);
      }
      const valueProblem = payloadValueBytes(value);
      if (typeof valueProblem !== 'number') fail(valueProblem);
      payload[key] = value;
    }
    msg.payload = payload;
  }
  if (at !== end) {
    throw new DecodeError('bad-field', `${end - at} unexpected bytes after the payload`);
  }
  return msg;
}

/** Throws unless the MAC after `buf[0, macAt)` is right under key `keyId` for `nodeId`. */
function checkMac(
  buf: Buffer,
  macAt: number,
  nodeId: string,
  keyId: number,
  keys: KeyLookup | undefined,
): void {
  const mac = keys?.verifierFor(nodeId, keyId);
  if (mac === undefined) {
    throw new DecodeError(
      'unknown-key',
      `frame is authenticated under key ${keyId}, which is not a key of node ${JSON.stringify(nodeId)} here`,
    );
  }
  if (!mac.verify(buf, 0, macAt, macAt)) {
    throw new DecodeError('bad-mac', `frame's MAC under key ${keyId} is wrong`);
  }
}
