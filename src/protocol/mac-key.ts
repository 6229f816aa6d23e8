/**
 * One key's HMAC-SHA-256 (RFC 2104), truncated to MAC_BYTES, as authenticated messages carry it
 * (docs/PROTOCOL.md, "Authenticated messages"). The key's padded inner and outer blocks are
 * hashed once, when the key is made, so a message's MAC costs the compressions of the message
 * (one for up to 55 bytes) and one more for the outer hash, which takes the inner digest as
 * words: two for a heartbeat without payload. The same result as
 * `createHmac('sha256', secret).update(bytes).digest().subarray(0, 16)`.
 */
import { ConfigError } from '../core/errors.js';
import {
  SHA256_BLOCK_BYTES,
  SHA256_INITIAL_STATE,
  compressBlock,
  finishDigestBlock,
  finishHash,
  writeDigest,
} from './sha256.js';

/** Bytes of the MAC a message carries: HMAC-SHA-256 truncated to 128 bits (RFC 2104 §5). */
export const MAC_BYTES = 16;
/** Shortest secret accepted: 128 bits, the strength of the truncated MAC. */
export const MIN_SECRET_BYTES = 16;
/** Longest secret accepted: one SHA-256 block (longer keys would be hashed first, RFC 2104). */
export const MAX_SECRET_BYTES = SHA256_BLOCK_BYTES;

const IPAD = 0x36;
const OPAD = 0x5c;

/** The state of one MAC computation, and the inner digest (one thread: no two run at once). */
const STATE = new Int32Array(8);
const INNER = new Int32Array(8);

export class MacKey {
  /** The state after the key XOR ipad block, and after the key XOR opad block. */
  private readonly innerState = new Int32Array(SHA256_INITIAL_STATE);
  private readonly outerState = new Int32Array(SHA256_INITIAL_STATE);

  /** Throws ConfigError unless `secret` has MIN_SECRET_BYTES to MAX_SECRET_BYTES bytes. */
  constructor(secret: Uint8Array) {
    if (secret.length < MIN_SECRET_BYTES || secret.length > MAX_SECRET_BYTES) {
      throw new ConfigError(
        `a key must have ${MIN_SECRET_BYTES} to ${MAX_SECRET_BYTES} bytes (32 recommended), got ${secret.length}`,
      );
    }
    const pad = new Uint8Array(SHA256_BLOCK_BYTES);
    for (const [state, fill] of [
      [this.innerState, IPAD],
      [this.outerState, OPAD],
    ] as const) {
      pad.fill(fill);
      for (let i = 0; i < secret.length; i++) pad[i] = (secret[i] as number) ^ fill;
      compressBlock(state, pad, 0);
    }
    pad.fill(0);
  }

  /** Writes the MAC of `bytes[start, end)` to `out[at, at + MAC_BYTES)`. */
  sign(bytes: Uint8Array, start: number, end: number, out: Uint8Array, at: number): void {
    this.compute(bytes, start, end);
    writeDigest(STATE, out, at, MAC_BYTES);
  }

  /**
   * Whether `bytes[tagAt, tagAt + MAC_BYTES)` is the MAC of `bytes[start, end)`. Compares every
   * byte whatever the first difference, so the time taken does not tell how much of a forged MAC
   * was right.
   */
  verify(bytes: Uint8Array, start: number, end: number, tagAt: number): boolean {
    if (tagAt < 0 || tagAt + MAC_BYTES > bytes.length) return false;
    this.compute(bytes, start, end);
    let difference = 0;
    for (let i = 0; i < MAC_BYTES / 4; i++) {
      const j = tagAt + 4 * i;
      const word =
        ((bytes[j] as number) << 24) |
        ((bytes[j + 1] as number) << 16) |
        ((bytes[j + 2] as number) << 8) |
        (bytes[j + 3] as number);
      difference |= word ^ (STATE[i] as number);
    }
    return difference === 0;
  }

  /** HMAC: H(key ⊕ opad ‖ H(key ⊕ ipad ‖ message)), left in STATE. */
  private compute(bytes: Uint8Array, start: number, end: number): void {
    INNER.set(this.innerState);
    finishHash(INNER, bytes, start, end, SHA256_BLOCK_BYTES);
    STATE.set(this.outerState);
    finishDigestBlock(STATE, INNER);
  }
}
