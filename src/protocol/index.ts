/**
 * The wire protocol (`heartbeat/protocol`): the message type, binary v1 and v2 (authenticated),
 * the keyring, JSON, the text line and the TCP stream decoder. The frame's byte layout (magic,
 * header size, type codes) stays inside.
 */
export type { Message, MessageType, Payload, PayloadValue } from './message.js';
export { AUTHENTICATED_VERSION, BINARY_VERSION, decodeBinary, encodeBinary } from './binary.js';
export {
  Keyring,
  MAX_KEY_ID,
  type KeyInfo,
  type KeyLookup,
  type KeySpec,
  type SigningKey,
} from './keyring.js';
export { MAC_BYTES, MAX_SECRET_BYTES, MIN_SECRET_BYTES, MacKey } from './mac-key.js';
export { decodeJson, encodeJson, jsonText } from './json.js';
export { decodeTextLine, encodeTextLine } from './text.js';
export { StreamDecoder } from './stream-decoder.js';
export { MAX_SENT_AT_MS, MAX_U32, checkMessage, checkNodeId, type Problem } from './validate.js';
