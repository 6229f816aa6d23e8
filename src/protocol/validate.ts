/**
 * The rules every wire format shares: what a node id, a payload and a numbered field may be.
 * Binary, JSON and the text line all check a message with these functions, so a message that
 * one format accepts is accepted by the others too. Each check returns a `Problem` (or
 * `undefined`): decoders turn it into a DecodeError, encoders into a ConfigError.
 */
import type { DecodeErrorReason } from '../core/errors.js';
import {
  MAX_HEARTBEAT_INTERVAL_MS,
  MAX_NODE_ID_BYTES,
  MAX_PAYLOAD_BYTES,
  MAX_PAYLOAD_ENTRIES,
  MAX_PAYLOAD_KEY_BYTES,
  MAX_PAYLOAD_STRING_BYTES,
} from '../core/limits.js';
import type { Message, Payload } from './message.js';

/** Why a value was refused: the DecodeError reason it maps to and a message for humans. */
export interface Problem {
  reason: DecodeErrorReason;
  message: string;
}

/** Largest u32, the range of incarnation and seq (intervalMs has its own limit). */
export const MAX_U32 = 0xffff_ffff;

/** Largest wall time a JavaScript Date can hold (±100 000 000 days around the epoch). */
export const MAX_SENT_AT_MS = 8.64e15;

/**
 * Longest payload string value in UTF-8 bytes: MAX_PAYLOAD_STRING_BYTES, but no more than a u8
 * length field can say (255), so that every format accepts exactly the same strings.
 */
export const PAYLOAD_STRING_MAX_BYTES = Math.min(MAX_PAYLOAD_STRING_BYTES, 0xff);

/**
 * Characters a node id or a payload key may not contain: control and format characters (they
 * hide in logs and dashboards), lone surrogates (not encodable as UTF-8) and any whitespace or
 * separator (the text line and URLs `/ping/<node>` delimit by them).
 */
const FORBIDDEN_IN_NAME = /[\p{Cc}\p{Cf}\p{Cs}\p{Z}\s]/u;

/** Characters a payload string value may not contain: control characters and lone surrogates. */
const FORBIDDEN_IN_VALUE = /[\p{Cc}\p{Cs}]/u;

/** Payload keys that would change an object's prototype if assigned naively downstream. */
const RESERVED_KEYS = new Set(['__proto__']);

export const PAYLOAD_TAG_NUMBER = 0x01;
export const PAYLOAD_TAG_STRING = 0x02;

const problem = (reason: DecodeErrorReason, message: string): Problem => ({ reason, message });

/**
 * True if every character is printable ASCII from `low` (0x21 for names, 0x20 for values) to
 * 0x7E: the common case, checked without the Unicode regex, and its UTF-8 length is its length.
 */
function isPlainAscii(s: string, low: number): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < low || c > 0x7e) return false;
  }
  return true;
}

/** UTF-8 byte length of a string without allocating (the string is well-formed or rejected). */
export function utf8Length(s: string): number {
  return Buffer.byteLength(s, 'utf8');
}

/** A node id: a non-empty string of at most MAX_NODE_ID_BYTES UTF-8 bytes, no space or control. */
export function checkNodeId(id: unknown): Problem | undefined {
  if (typeof id !== 'string') return problem('bad-node-id', 'node id must be a string');
  if (id.length === 0) return problem('bad-node-id', 'node id is empty');
  if (id.length <= MAX_NODE_ID_BYTES && isPlainAscii(id, 0x21)) return undefined;
  // A UTF-16 code unit is at most 3 UTF-8 bytes: cheap bound before measuring.
  if (id.length > MAX_NODE_ID_BYTES || utf8Length(id) > MAX_NODE_ID_BYTES) {
    return problem('bad-node-id', `node id is longer than ${MAX_NODE_ID_BYTES} UTF-8 bytes`);
  }
  if (FORBIDDEN_IN_NAME.test(id)) {
    return problem(
      'bad-node-id',
      'node id contains whitespace, a control character or a lone surrogate',
    );
  }
  return undefined;
}

/** An unsigned 32-bit integer field (incarnation, seq, intervalMs), at least `min`. */
export function checkU32(name: string, value: unknown, min = 0): Problem | undefined {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > MAX_U32) {
    return problem('bad-field', `${name} must be an integer in [${min}, ${MAX_U32}]`);
  }
  return undefined;
}

/**
 * A heartbeat interval, ms: an integer from 1 to MAX_HEARTBEAT_INTERVAL_MS (one day). The one
 * check of every interval a sender announces or a registration gives: the decoders, the node
 * table and the API's POST /v1/nodes use it.
 */
export function checkIntervalMs(value: unknown, name = 'intervalMs'): Problem | undefined {
  if (
    typeof value !== 'number' ||
    !Number.isInteger(value) ||
    value < 1 ||
    value > MAX_HEARTBEAT_INTERVAL_MS
  ) {
    return problem(
      'bad-field',
      `${name} must be an integer number of ms in [1, ${MAX_HEARTBEAT_INTERVAL_MS}] (MAX_HEARTBEAT_INTERVAL_MS, one day)`,
    );
  }
  return undefined;
}

/** The sender's wall time: a finite number of ms in [0, MAX_SENT_AT_MS]; fractions allowed. */
export function checkSentAtMs(value: unknown): Problem | undefined {
  if (typeof value !== 'number' || !(value >= 0 && value <= MAX_SENT_AT_MS)) {
    return problem('bad-field', `sentAtMs must be a number in [0, ${MAX_SENT_AT_MS}]`);
  }
  return undefined;
}

/** A payload key: like a node id, but at most MAX_PAYLOAD_KEY_BYTES bytes and not reserved. */
export function checkPayloadKey(key: string): Problem | undefined {
  if (key.length === 0) return problem('bad-payload', 'payload key is empty');
  const bytes = checkText(
    key,
    MAX_PAYLOAD_KEY_BYTES,
    0x21,
    FORBIDDEN_IN_NAME,
    'payload key',
    'whitespace or a control character',
  );
  if (typeof bytes !== 'number') return bytes;
  if (RESERVED_KEYS.has(key)) return problem('bad-payload', `payload key ${key} is reserved`);
  return undefined;
}

/**
 * The UTF-8 length of a payload key or string value, or the Problem with it: longer than
 * `maxBytes`, or holding a character of `forbidden` (named by `forbiddenWords`). Text of plain
 * ASCII from `lowestPlain` on is checked without encoding it.
 */
function checkText(
  text: string,
  maxBytes: number,
  lowestPlain: number,
  forbidden: RegExp,
  what: string,
  forbiddenWords: string,
): number | Problem {
  if (text.length <= maxBytes && isPlainAscii(text, lowestPlain)) return text.length;
  if (text.length > maxBytes || utf8Length(text) > maxBytes) {
    return problem('bad-payload', `${what} is longer than ${maxBytes} UTF-8 bytes`);
  }
  if (forbidden.test(text)) return problem('bad-payload', `${what} contains ${forbiddenWords}`);
  return utf8Length(text);
}

/**
 * A payload value: a finite number, or a string of at most PAYLOAD_STRING_MAX_BYTES bytes with
 * no control characters. Returns the bytes the value takes in binary v1 (tag included) or a
 * Problem.
 */
export function payloadValueBytes(value: unknown): number | Problem {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return problem('bad-payload', 'payload number is not finite');
    return 1 + 8;
  }
  if (typeof value === 'string') {
    const bytes = checkText(
      value,
      PAYLOAD_STRING_MAX_BYTES,
      0x20,
      FORBIDDEN_IN_VALUE,
      'payload string',
      'a control character',
    );
    return typeof bytes === 'number' ? 1 + 1 + bytes : bytes;
  }
  return problem('bad-payload', 'payload value must be a number or a string');
}

/**
 * Checks a whole payload (a plain object of key → value) and returns its encoded size in binary
 * v1 (the count byte and every entry) or a Problem. Stops at the first entry over the limits,
 * so an enormous object costs no more than MAX_PAYLOAD_ENTRIES + 1 entries of work.
 */
export function payloadBytes(payload: unknown): number | Problem {
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) {
    return problem('bad-payload', 'payload must be an object');
  }
  let entries = 0;
  let bytes = 1;
  for (const key in payload) {
    if (!Object.hasOwn(payload, key)) continue;
    if (++entries > MAX_PAYLOAD_ENTRIES) {
      return problem('bad-payload', `payload has more than ${MAX_PAYLOAD_ENTRIES} entries`);
    }
    const keyProblem = checkPayloadKey(key);
    if (keyProblem) return keyProblem;
    const valueBytes = payloadValueBytes((payload as Record<string, unknown>)[key]);
    if (typeof valueBytes !== 'number') return valueBytes;
    bytes += 1 + utf8Length(key) + valueBytes;
    if (bytes > MAX_PAYLOAD_BYTES) {
      return problem('bad-payload', `payload is larger than ${MAX_PAYLOAD_BYTES} bytes`);
    }
  }
  return bytes;
}

/**
 * Checks every field of a message but the payload. With `numbered` the four numbered fields are
 * required (binary v1 carries them all); without it they are optional but checked when present.
 */
export function checkFields(msg: Message, numbered: boolean): Problem | undefined {
  if (msg.type !== 'heartbeat' && msg.type !== 'leave') {
    return problem('bad-type', 'type must be "heartbeat" or "leave"');
  }
  return (
    checkNodeId(msg.nodeId) ??
    optional('incarnation', msg.incarnation, numbered, checkU32) ??
    optional('seq', msg.seq, numbered, checkU32) ??
    optional('sentAtMs', msg.sentAtMs, numbered, (_name, v) => checkSentAtMs(v)) ??
    optional('intervalMs', msg.intervalMs, numbered, (name, v) => checkIntervalMs(v, name))
  );
}

function optional(
  name: string,
  value: unknown,
  required: boolean,
  check: (name: string, value: unknown) => Problem | undefined,
): Problem | undefined {
  if (value !== undefined) return check(name, value);
  return required ? problem('bad-field', `${name} is required`) : undefined;
}

/** Checks every field of a message, payload included (see checkFields for `numbered`). */
export function checkMessage(msg: Message, numbered: boolean): Problem | undefined {
  const invalid = checkFields(msg, numbered);
  if (invalid || msg.payload === undefined) return invalid;
  const size = payloadBytes(msg.payload);
  return typeof size === 'number' ? undefined : size;
}

/** Reads -0 as 0, so that every format gives the same number back. */
export const normalizeNumber = (x: number): number => (x === 0 ? 0 : x);

/** Copies a checked payload into a fresh object (never returns the caller's object). */
export function copyPayload(payload: Payload): Payload {
  const out: Payload = {};
  for (const key in payload) {
    if (!Object.hasOwn(payload, key)) continue;
    const value = payload[key] as number | string;
    out[key] = typeof value === 'number' ? normalizeNumber(value) : value;
  }
  return out;
}
