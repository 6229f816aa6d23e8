/**
 * Codec speed and size: encode and decode ns/op for binary v1, JSON and the text line, with and
 * without a typical payload, and bytes per message. The baseline is the JSON codec measured in
 * the same run (ratios below 1 mean binary is faster or smaller); bare JSON.stringify/parse
 * without validation is shown too, to separate the cost of checking from the cost of parsing.
 * Binary v2 (authenticated) is measured against v1 in the same run, and our MAC against
 * node:crypto's createHmac over the same bytes.
 */
import { createHmac } from 'node:crypto';
import { MAC_BYTES } from '../../src/protocol/mac-key.js';
import { Keyring } from '../../src/protocol/keyring.js';
import { decodeBinary, encodeBinary } from '../../src/protocol/binary.js';
import { decodeJson, encodeJson } from '../../src/protocol/json.js';
import type { Message } from '../../src/protocol/message.js';
import { StreamDecoder } from '../../src/protocol/stream-decoder.js';
import { decodeTextLine, encodeTextLine } from '../../src/protocol/text.js';
import { fmt, nsPerOp, table, type BenchSuite } from '../harness.js';

const ITERATIONS = 5_000;
/**
 * Fastest of many short runs rather than the median of a few long ones: on a shared, loaded
 * machine the median still includes time the process spent descheduled; the minimum does not.
 */
const RUNS = 15;

const bare: Message = {
  type: 'heartbeat',
  nodeId: 'web-17.eu-west.example.com',
  incarnation: 3_141_592,
  seq: 86_400,
  sentAtMs: 1_763_884_800_123,
  intervalMs: 1000,
};
/** What an agent typically reports: load, memory, a version string, CPU share. */
const withPayload: Message = {
  ...bare,
  payload: { load: 0.42, memMb: 812, version: '1.4.2', cpu: 0.17 },
};

const ns = (fn: (i: number) => void) => {
  nsPerOp(fn, ITERATIONS); // warm up every path before the timed runs
  return Math.min(...Array.from({ length: RUNS }, () => nsPerOp(fn, ITERATIONS, 0)));
};

let sink: unknown;

const SECRET = Buffer.alloc(32, 0x5a);
const keyring = new Keyring([{ id: 1, secret: SECRET, primary: true }]);
const signingKey = keyring.signingKey(bare.nodeId);

/** Binary v2 against v1, and the MAC alone: ours against createHmac over the same bytes. */
function measureSigned(msg: Message) {
  const v1 = encodeBinary(msg);
  const v2 = encodeBinary(msg, signingKey);
  const macOut = Buffer.alloc(MAC_BYTES);
  const signed = v2.length - MAC_BYTES;
  return {
    v1Encode: ns(() => (sink = encodeBinary(msg))),
    v2Encode: ns(() => (sink = encodeBinary(msg, signingKey))),
    v1Decode: ns(() => (sink = decodeBinary(v1))),
    v2Decode: ns(() => (sink = decodeBinary(v2, keyring))),
    ourMac: ns(() => signingKey?.mac.sign(v2, 0, signed, macOut, 0)),
    createHmac: ns(
      () => (sink = createHmac('sha256', SECRET).update(v2.subarray(0, signed)).digest()),
    ),
    bytes: v2.length,
  };
}

function measure(msg: Message) {
  const bin = encodeBinary(msg);
  const json = encodeJson(msg);
  return {
    binaryBytes: bin.length,
    jsonBytes: Buffer.byteLength(json),
    binaryEncode: ns(() => (sink = encodeBinary(msg))),
    binaryDecode: ns(() => (sink = decodeBinary(bin))),
    jsonEncode: ns(() => (sink = encodeJson(msg))),
    jsonDecode: ns(() => (sink = decodeJson(json))),
    bareStringify: ns(() => (sink = JSON.stringify(msg))),
    bareParse: ns(() => (sink = JSON.parse(json))),
  };
}

const suite: BenchSuite = {
  name: 'codec',
  title: 'Wire codecs (binary v1 and v2, JSON, text line)',
  async run() {
    const a = measure(bare);
    const b = measure(withPayload);
    const line = encodeTextLine(bare.nodeId);
    const textDecode = ns(() => (sink = decodeTextLine(line)));
    const textEncode = ns(() => (sink = encodeTextLine(bare.nodeId)));
    // The TCP path: 64 frames per chunk through the stream decoder, per message.
    const frame = encodeBinary(withPayload);
    const chunk = Buffer.concat(Array.from({ length: 64 }, () => frame));
    const decoder = new StreamDecoder();
    const streamDecode = ns(() => (sink = decoder.push(chunk))) / 64;
    const lines = Buffer.from(line.repeat(64));
    const streamText = ns(() => (sink = decoder.push(lines))) / 64;
    const sa = measureSigned(bare);
    const sb = measureSigned(withPayload);
    const signedChunk = Buffer.concat(
      Array.from({ length: 64 }, () => encodeBinary(withPayload, signingKey)),
    );
    const signedDecoder = new StreamDecoder(keyring);
    const streamSigned = ns(() => (sink = signedDecoder.push(signedChunk))) / 64;
    void sink;
    const vs = (v2: number, v1: number) =>
      `${fmt(v2, 0)} (${fmt(v2 / v1, 2)}× v1, +${fmt(v2 - v1, 0)})`;

    const rows = [
      [
        'bytes per message',
        a.binaryBytes,
        a.jsonBytes,
        fmt(a.binaryBytes / a.jsonBytes, 2),
        b.binaryBytes,
        b.jsonBytes,
        fmt(b.binaryBytes / b.jsonBytes, 2),
      ],
      [
        'encode ns/op',
        fmt(a.binaryEncode, 0),
        fmt(a.jsonEncode, 0),
        fmt(a.binaryEncode / a.jsonEncode, 2),
        fmt(b.binaryEncode, 0),
        fmt(b.jsonEncode, 0),
        fmt(b.binaryEncode / b.jsonEncode, 2),
      ],
      [
        'decode ns/op',
        fmt(a.binaryDecode, 0),
        fmt(a.jsonDecode, 0),
        fmt(a.binaryDecode / a.jsonDecode, 2),
        fmt(b.binaryDecode, 0),
        fmt(b.jsonDecode, 0),
        fmt(b.binaryDecode / b.jsonDecode, 2),
      ],
    ];
    return [
      `Message: node id \`${bare.nodeId}\` (${Buffer.byteLength(bare.nodeId)} bytes), all numbered fields; typical payload \`${JSON.stringify(withPayload.payload)}\`. Fastest of ${RUNS} runs × ${ITERATIONS.toLocaleString('en-US')} operations (the machine was shared with other builds).`,
      '',
      table(
        [
          '',
          'binary',
          'JSON (baseline)',
          'binary / JSON',
          'binary + payload',
          'JSON + payload',
          'binary / JSON',
        ],
        rows,
      ),
      '',
      table(
        ['other figures', 'ns/op', 'note'],
        [
          [
            'bare JSON.stringify (no validation)',
            fmt(a.bareStringify, 0),
            `encodeJson costs ${fmt(a.jsonEncode / a.bareStringify, 2)}× this`,
          ],
          [
            'bare JSON.parse (no validation)',
            fmt(a.bareParse, 0),
            `decodeJson costs ${fmt(a.jsonDecode / a.bareParse, 2)}× this`,
          ],
          ['text line encode', fmt(textEncode, 0), `${Buffer.byteLength(line)} bytes per message`],
          ['text line decode', fmt(textDecode, 0), ''],
          [
            'StreamDecoder, binary frames with payload',
            fmt(streamDecode, 0),
            'per frame, 64 frames per chunk',
          ],
          ['StreamDecoder, text lines', fmt(streamText, 0), 'per line, 64 lines per chunk'],
        ],
      ),
      '',
      "Binary v2, authenticated (HMAC-SHA-256 truncated to 16 bytes, key id 1, 32-byte key), against binary v1 in the same run; the MAC alone by our SHA-256 with the key's pads hashed once (`MacKey`), against `createHmac` over the same bytes:",
      '',
      table(
        ['', 'binary v1', 'binary v2 (authenticated)', 'v1 + payload', 'v2 + payload'],
        [
          ['bytes per message', a.binaryBytes, sa.bytes, b.binaryBytes, sb.bytes],
          [
            'encode ns/op',
            fmt(sa.v1Encode, 0),
            vs(sa.v2Encode, sa.v1Encode),
            fmt(sb.v1Encode, 0),
            vs(sb.v2Encode, sb.v1Encode),
          ],
          [
            'decode ns/op',
            fmt(sa.v1Decode, 0),
            vs(sa.v2Decode, sa.v1Decode),
            fmt(sb.v1Decode, 0),
            vs(sb.v2Decode, sb.v1Decode),
          ],
          [
            'MAC ns/op: MacKey / createHmac',
            '',
            `${fmt(sa.ourMac, 0)} / ${fmt(sa.createHmac, 0)} (${fmt(sa.ourMac / sa.createHmac, 2)}×)`,
            '',
            `${fmt(sb.ourMac, 0)} / ${fmt(sb.createHmac, 0)} (${fmt(sb.ourMac / sb.createHmac, 2)}×)`,
          ],
          ['StreamDecoder ns/frame', '', '', fmt(streamDecode, 0), vs(streamSigned, streamDecode)],
        ],
      ),
    ].join('\n');
  },
};

export default suite;
