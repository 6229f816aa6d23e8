/** The wire protocol's public API: message type, binary v1, JSON, text line, TCP stream decoder. */
export type { Message, MessageType, Payload, PayloadValue } from './message.js';
export {
  BINARY_VERSION,
  HEADER_BYTES,
  MAGIC_0,
  MAGIC_1,
  MIN_FRAME_BYTES,
  TYPE_HEARTBEAT,
  TYPE_LEAVE,
  decodeBinary,
  encodeBinary,
} from './binary.js';
export { decodeJson, encodeJson, jsonText } from './json.js';
export { decodeTextLine, encodeTextLine } from './text.js';
export { StreamDecoder } from './stream-decoder.js';
export { MAX_SENT_AT_MS, MAX_U32, checkMessage, checkNodeId, type Problem } from './validate.js';
