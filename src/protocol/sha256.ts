/**
 * SHA-256 (FIPS 180-4) over a range of a buffer, into a caller's state of eight 32-bit words, for
 * the MAC of authenticated messages (mac-key.ts). node:crypto computes the same digest, but each
 * call through it costs about 1.5 µs of object set-up before the first byte is hashed, more than
 * the three compressions a heartbeat's MAC needs; and HMAC's per-key work (hashing the padded
 * key) can only be done once per key when the state is ours to copy. The result is checked
 * against node:crypto's createHash and createHmac in test/protocol/mac-key.test.ts.
 *
 * Every operation is on 32-bit integers with no branch on the data, so the time taken depends on
 * the length of the input only.
 */

/** Bytes in one SHA-256 block. */
export const SHA256_BLOCK_BYTES = 64;
/** Bytes in a SHA-256 digest. */
export const SHA256_DIGEST_BYTES = 32;

/** The initial hash value H(0) (FIPS 180-4 §5.3.3). */
export const SHA256_INITIAL_STATE: Readonly<Int32Array> = Int32Array.of(
  0x6a09e667,
  0xbb67ae85,
  0x3c6ef372,
  0xa54ff53a,
  0x510e527f,
  0x9b05688c,
  0x1f83d9ab,
  0x5be0cd19,
);

/** The round constants K (FIPS 180-4 §4.2.2). */
const K = Int32Array.of(
  0x428a2f98,
  0x71374491,
  0xb5c0fbcf,
  0xe9b5dba5,
  0x3956c25b,
  0x59f111f1,
  0x923f82a4,
  0xab1c5ed5,
  0xd807aa98,
  0x12835b01,
  0x243185be,
  0x550c7dc3,
  0x72be5d74,
  0x80deb1fe,
  0x9bdc06a7,
  0xc19bf174,
  0xe49b69c1,
  0xefbe4786,
  0x0fc19dc6,
  0x240ca1cc,
  0x2de92c6f,
  0x4a7484aa,
  0x5cb0a9dc,
  0x76f988da,
  0x983e5152,
  0xa831c66d,
  0xb00327c8,
  0xbf597fc7,
  0xc6e00bf3,
  0xd5a79147,
  0x06ca6351,
  0x14292967,
  0x27b70a85,
  0x2e1b2138,
  0x4d2c6dfc,
  0x53380d13,
  0x650a7354,
  0x766a0abb,
  0x81c2c92e,
  0x92722c85,
  0xa2bfe8a1,
  0xa81a664b,
  0xc24b8b70,
  0xc76c51a3,
  0xd192e819,
  0xd6990624,
  0xf40e3585,
  0x106aa070,
  0x19a4c116,
  0x1e376c08,
  0x2748774c,
  0x34b0bcb5,
  0x391c0cb3,
  0x4ed8aa4a,
  0x5b9cca4f,
  0x682e6ff3,
  0x748f82ee,
  0x78a5636f,
  0x84c87814,
  0x8cc70208,
  0x90befffa,
  0xa4506ceb,
  0xbef9a3f7,
  0xc67178f2,
);

/**
 * The message schedule, reused by every compression (one thread: no two run at once). Its first
 * 16 words are the block being compressed: filled from bytes, or from words (HMAC's outer hash
 * takes the inner digest as it is, without turning it into bytes and back).
 */
const W = new Int32Array(64);

/**
 * Compresses the block in W[0, 16) into `state` (FIPS 180-4 §6.2.2). The rest of the schedule is
 * made in the round loop, and Ch and Maj are written in their forms with one operation fewer
 * (`g ^ (e & (f ^ g))`, `(a & b) | (c & (a | b))`): the same functions.
 */
function compressSchedule(state: Int32Array): void {
  let a = state[0] as number;
  let b = state[1] as number;
  let c = state[2] as number;
  let d = state[3] as number;
  let e = state[4] as number;
  let f = state[5] as number;
  let g = state[6] as number;
  let h = state[7] as number;
  for (let i = 0; i < 64; i++) {
    let w: number;
    if (i < 16) w = W[i] as number;
    else {
      const x = W[i - 15] as number;
      const y = W[i - 2] as number;
      const s0 = ((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3);
      const s1 = ((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^ (y >>> 10);
      w = ((W[i - 16] as number) + s0 + (W[i - 7] as number) + s1) | 0;
      W[i] = w;
    }
    const s1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
    const t1 = (h + s1 + (g ^ (e & (f ^ g))) + (K[i] as number) + w) | 0;
    const s0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
    const t2 = (s0 + ((a & b) | (c & (a | b)))) | 0;
    h = g;
    g = f;
    f = e;
    e = (d + t1) | 0;
    d = c;
    c = b;
    b = a;
    a = (t1 + t2) | 0;
  }
  state[0] = ((state[0] as number) + a) | 0;
  state[1] = ((state[1] as number) + b) | 0;
  state[2] = ((state[2] as number) + c) | 0;
  state[3] = ((state[3] as number) + d) | 0;
  state[4] = ((state[4] as number) + e) | 0;
  state[5] = ((state[5] as number) + f) | 0;
  state[6] = ((state[6] as number) + g) | 0;
  state[7] = ((state[7] as number) + h) | 0;
}

/** The big-endian word at `bytes[j…]`. */
const wordAt = (bytes: Uint8Array, j: number): number =>
  ((bytes[j] as number) << 24) |
  ((bytes[j + 1] as number) << 16) |
  ((bytes[j + 2] as number) << 8) |
  (bytes[j + 3] as number);

/** Compresses the 64-byte block at `bytes[at…]` into `state`. */
export function compressBlock(state: Int32Array, bytes: Uint8Array, at: number): void {
  for (let i = 0; i < 16; i++) W[i] = wordAt(bytes, at + 4 * i);
  compressSchedule(state);
}

/**
 * Hashes `bytes[start, end)` into `state`, which has already absorbed `absorbedBytes` bytes (a
 * whole number of blocks: 0 from SHA256_INITIAL_STATE, 64 from a precomputed HMAC pad), and
 * pads: `state` then holds the digest of everything absorbed.
 */
export function finishHash(
  state: Int32Array,
  bytes: Uint8Array,
  start: number,
  end: number,
  absorbedBytes: number,
): void {
  let at = start;
  while (end - at >= SHA256_BLOCK_BYTES) {
    compressBlock(state, bytes, at);
    at += SHA256_BLOCK_BYTES;
  }
  // The rest, the 0x80 byte, zeros, and the length in bits as a 64-bit big-endian number.
  const rest = end - at;
  const words = rest >>> 2;
  for (let i = 0; i < words; i++) W[i] = wordAt(bytes, at + 4 * i);
  const left = rest & 3;
  let last = 0x80 << (24 - 8 * left);
  for (let k = 0; k < left; k++) last |= (bytes[at + 4 * words + k] as number) << (24 - 8 * k);
  W[words] = last;
  W.fill(0, words + 1, 16);
  if (rest >= SHA256_BLOCK_BYTES - 8) {
    compressSchedule(state);
    W.fill(0, 0, 14);
  }
  const bits = (absorbedBytes + end - start) * 8;
  W[14] = Math.floor(bits / 2 ** 32);
  W[15] = bits | 0;
  compressSchedule(state);
}

/**
 * Hashes the 32-byte digest `digest` (eight words) into `state`, which has absorbed one block,
 * and pads: HMAC's outer hash over the inner digest, as words.
 */
export function finishDigestBlock(state: Int32Array, digest: Int32Array): void {
  W.set(digest);
  W[8] = 0x80 << 24;
  W.fill(0, 9, 15);
  W[15] = (SHA256_BLOCK_BYTES + SHA256_DIGEST_BYTES) * 8;
  compressSchedule(state);
}

/** Writes the first `bytes` bytes of the digest in `state` to `out[at…]` (big-endian words). */
export function writeDigest(state: Int32Array, out: Uint8Array, at: number, bytes = 32): void {
  for (let i = 0; i < bytes; i++) {
    out[at + i] = ((state[i >>> 2] as number) >>> (24 - 8 * (i & 3))) & 0xff;
  }
}
