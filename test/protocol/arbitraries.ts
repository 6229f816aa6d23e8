/** fast-check arbitraries for valid messages, shared by the protocol tests. */
import fc from 'fast-check';
import { MAX_HEARTBEAT_INTERVAL_MS, MAX_PAYLOAD_ENTRIES } from '../../src/core/limits.js';
import type { Message, Payload } from '../../src/protocol/message.js';
import { checkNodeId, checkPayloadKey, payloadBytes } from '../../src/protocol/validate.js';

const FORBIDDEN_VALUE = /[\p{Cc}\p{Cs}]/u;

/** Node ids: mostly ASCII names, sometimes any Unicode, always valid (filtered by the rule). */
export const nodeIdArb = fc
  .oneof(
    fc.stringMatching(/^[a-z][a-z0-9.-]{0,40}$/),
    fc.string({ unit: 'grapheme', minLength: 1, maxLength: 60 }),
    fc.string({ unit: 'binary', minLength: 1, maxLength: 255 }),
  )
  .filter((s) => checkNodeId(s) === undefined);

const keyArb = fc
  .oneof(
    fc.stringMatching(/^[a-z_]{1,20}$/),
    fc.string({ unit: 'grapheme', minLength: 1, maxLength: 20 }),
  )
  .filter((s) => checkPayloadKey(s) === undefined);

const valueArb = fc.oneof(
  fc.double({ noNaN: true, noDefaultInfinity: true }).map((x) => (x === 0 ? 0 : x)),
  fc.integer(),
  fc.string({ unit: 'grapheme', maxLength: 40 }).filter((s) => !FORBIDDEN_VALUE.test(s)),
);

/** Non-empty payloads within every limit (an empty payload decodes as no payload). */
export const payloadArb: fc.Arbitrary<Payload> = fc
  .dictionary(keyArb, valueArb, { minKeys: 1, maxKeys: MAX_PAYLOAD_ENTRIES })
  .filter((p) => typeof payloadBytes(p) === 'number');

/** A message with every numbered field, as binary v1 carries it. */
export const fullMessageArb: fc.Arbitrary<Message> = fc
  .record({
    type: fc.constantFrom('heartbeat' as const, 'leave' as const),
    nodeId: nodeIdArb,
    incarnation: fc.integer({ min: 0, max: 0xffff_ffff }),
    seq: fc.integer({ min: 0, max: 0xffff_ffff }),
    sentAtMs: fc.oneof(
      fc.integer({ min: 0, max: 4_102_444_800_000 }),
      fc.double({ min: 0, max: 8.64e15, noNaN: true }).map((x) => (x === 0 ? 0 : x)),
    ),
    intervalMs: fc.integer({ min: 1, max: MAX_HEARTBEAT_INTERVAL_MS }),
    payload: fc.option(payloadArb, { nil: undefined }),
  })
  .map((m) => {
    if (m.payload === undefined) delete m.payload;
    return m;
  });

/** A message as JSON may carry it: every numbered field optional. */
export const jsonMessageArb: fc.Arbitrary<Message> = fc
  .record(
    {
      type: fc.constantFrom('heartbeat' as const, 'leave' as const),
      nodeId: nodeIdArb,
      incarnation: fc.integer({ min: 0, max: 0xffff_ffff }),
      seq: fc.integer({ min: 0, max: 0xffff_ffff }),
      sentAtMs: fc.integer({ min: 0, max: 4_102_444_800_000 }),
      intervalMs: fc.integer({ min: 1, max: MAX_HEARTBEAT_INTERVAL_MS }),
      payload: payloadArb,
    },
    { requiredKeys: ['type', 'nodeId'] },
  )
  .map((m) => m as Message);

/** A valid message built from plain values, for examples. */
export const sample: Message = {
  type: 'heartbeat',
  nodeId: 'web-1',
  incarnation: 7,
  seq: 42,
  sentAtMs: 1_700_000_000_000,
  intervalMs: 1000,
  payload: { load: 0.5, ver: '1.2' },
};
