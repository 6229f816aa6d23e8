/**
 * The plain text line: a node id followed by a newline (`echo web-1 | nc monitor 7946`). The
 * simplest possible sender; it carries only the node id, so the message has no numbered fields.
 */
import { DecodeError, EncodeError } from '../core/errors.js';
import { MAX_TEXT_LINE_BYTES } from '../core/limits.js';
import type { Message } from './message.js';
import { checkNodeId } from './validate.js';

/**
 * Decodes one line, with or without its trailing `\n`; a `\r` before it (telnet, Windows) is
 * dropped. The line (without `\n`) may be at most MAX_TEXT_LINE_BYTES UTF-8 bytes. Throws only
 * DecodeError: `too-long`, `bad-text` (empty line) or `bad-node-id`.
 */
export function decodeTextLine(line: string): Message {
  let end = line.length;
  if (end > 0 && line.charCodeAt(end - 1) === 0x0a) end--;
  const limit = MAX_TEXT_LINE_BYTES;
  if (end > limit || Buffer.byteLength(end === line.length ? line : line.slice(0, end)) > limit) {
    throw new DecodeError('too-long', `text line is over ${limit} bytes`);
  }
  if (end > 0 && line.charCodeAt(end - 1) === 0x0d) end--;
  if (end === 0) throw new DecodeError('bad-text', 'text line is empty');
  const nodeId = end === line.length ? line : line.slice(0, end);
  const invalid = checkNodeId(nodeId);
  if (invalid) throw new DecodeError(invalid.reason, invalid.message);
  return { type: 'heartbeat', nodeId };
}

/**
 * Encodes a heartbeat as a text line (`nodeId\n`), for tools and the simplest agents; throws
 * EncodeError if the node id is not valid.
 */
export function encodeTextLine(nodeId: string): string {
  const invalid = checkNodeId(nodeId);
  if (invalid) throw new EncodeError(`cannot encode text line: ${invalid.message}`);
  return `${nodeId}\n`;
}
