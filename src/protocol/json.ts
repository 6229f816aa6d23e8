/**
 * The JSON form of a message, for HTTP (`POST /v1/heartbeat`) and for people: the same fields
 * and the same rules as binary v1 (validate.ts), but every numbered field is optional, so
 * `{"nodeId":"web-1"}` is a valid heartbeat. Unknown fields are ignored, so a newer sender can
 * add fields without breaking an older monitor. See docs/PROTOCOL.md.
 *
 * JSON text from the wire (a datagram, a request body) must be UTF-8 (RFC 8259 §8.1) and is
 * refused when it is not, as the binary decoder refuses it, never repaired: replacing invalid
 * bytes with U+FFFD would make `web\xff` and `web\xfe` one node.
 */
import { isUtf8 } from 'node:buffer';
import { DecodeError, EncodeError } from '../core/errors.js';
import { MAX_HTTP_BODY_BYTES } from '../core/limits.js';
import type { Message, MessageType } from './message.js';
import { checkMessage, copyPayload, normalizeNumber } from './validate.js';

/** Encodes a message as a JSON object (fields in a fixed order); throws EncodeError if invalid. */
export function encodeJson(msg: Message): string {
  const invalid = checkMessage(msg, false);
  if (invalid) throw new EncodeError(`cannot encode message: ${invalid.message}`);
  return JSON.stringify(pick(msg));
}

/**
 * The text of JSON bytes from the wire; throws DecodeError `bad-json` when they are not valid
 * UTF-8 (a lone continuation byte, an overlong form, a surrogate, a truncated sequence).
 */
export function jsonText(bytes: Uint8Array): string {
  if (!isUtf8(bytes)) throw new DecodeError('bad-json', 'JSON text is not valid UTF-8');
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
}

/**
 * Decodes a JSON message from its bytes (UTF-8, checked: see jsonText), its text (at most
 * MAX_HTTP_BODY_BYTES UTF-8 bytes either way) or an already parsed value (an HTTP framework's
 * parsed body). `type` defaults to `"heartbeat"`. Returns a fresh object that shares nothing with
 * the input. Throws only DecodeError.
 */
export function decodeJson(input: Uint8Array | string | unknown): Message {
  if (input instanceof Uint8Array) {
    if (input.byteLength > MAX_HTTP_BODY_BYTES) {
      throw new DecodeError('too-long', `JSON text is over ${MAX_HTTP_BODY_BYTES} bytes`);
    }
    input = jsonText(input);
  }
  let value: unknown = input;
  if (typeof input === 'string') {
    if (input.length > MAX_HTTP_BODY_BYTES || Buffer.byteLength(input) > MAX_HTTP_BODY_BYTES) {
      throw new DecodeError('too-long', `JSON text is over ${MAX_HTTP_BODY_BYTES} bytes`);
    }
    try {
      value = JSON.parse(input);
    } catch (err) {
      throw new DecodeError('bad-json', `not JSON: ${(err as Error).message}`);
    }
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new DecodeError('bad-json', 'a JSON message must be an object');
  }
  try {
    return fromObject(value as Record<string, unknown>);
  } catch (err) {
    if (err instanceof DecodeError) throw err;
    // Only an exotic parsed value (a getter or Proxy that throws) gets here.
    throw new DecodeError('bad-json', `unreadable JSON value: ${String(err)}`);
  }
}

/** Checks a parsed object and copies its known fields into a fresh message. */
function fromObject(raw: Record<string, unknown>): Message {
  const candidate = {
    ...pick(raw as unknown as Message),
    type: (raw.type === undefined ? 'heartbeat' : raw.type) as MessageType,
  };
  const invalid = checkMessage(candidate, false);
  if (invalid) throw new DecodeError(invalid.reason, invalid.message);
  const msg = pick(candidate);
  if (msg.incarnation !== undefined) msg.incarnation = normalizeNumber(msg.incarnation);
  if (msg.seq !== undefined) msg.seq = normalizeNumber(msg.seq);
  if (msg.sentAtMs !== undefined) msg.sentAtMs = normalizeNumber(msg.sentAtMs);
  if (msg.payload !== undefined) msg.payload = copyPayload(msg.payload);
  return msg;
}

/** The known fields of a message, in wire order, leaving out absent ones and any others. */
function pick(msg: Message): Message {
  const out: Message = { type: msg.type, nodeId: msg.nodeId };
  if (msg.incarnation !== undefined) out.incarnation = msg.incarnation;
  if (msg.seq !== undefined) out.seq = msg.seq;
  if (msg.sentAtMs !== undefined) out.sentAtMs = msg.sentAtMs;
  if (msg.intervalMs !== undefined) out.intervalMs = msg.intervalMs;
  if (msg.payload !== undefined) out.payload = msg.payload;
  return out;
}
