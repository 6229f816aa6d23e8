import { afterEach, describe, expect, it } from 'vitest';
import { SystemClock } from '../../src/core/clock.js';
import { DecodeError } from '../../src/core/errors.js';
import { MAX_DATAGRAM_BYTES } from '../../src/core/limits.js';
import { encodeBinary, encodeJson } from '../../src/protocol/index.js';
import type { Message } from '../../src/protocol/message.js';
import type { Peer, RejectReason } from '../../src/transport/listener.js';
import { UdpListener, decodeDatagram } from '../../src/transport/udp-listener.js';
import { sendUdp, until } from '../monitor/helpers.js';

const beat: Message = {
  type: 'heartbeat',
  nodeId: 'web-1',
  incarnation: 7,
  seq: 3,
  sentAtMs: 1_700_000_000_000,
  intervalMs: 1000,
};

describe('decodeDatagram', () => {
  it('tells binary, JSON and text lines apart', () => {
    expect(decodeDatagram(encodeBinary(beat))).toEqual(beat);
    expect(decodeDatagram(Buffer.from(encodeJson(beat)))).toEqual(beat);
    expect(decodeDatagram(Buffer.from('web-2\n'))).toEqual({ type: 'heartbeat', nodeId: 'web-2' });
    expect(decodeDatagram(Buffer.from('web-3\r\n'))).toEqual({
      type: 'heartbeat',
      nodeId: 'web-3',
    });
    expect(decodeDatagram(Buffer.from('wëb-4'))).toEqual({ type: 'heartbeat', nodeId: 'wëb-4' });
  });

  it('rejects empty, oversized and undecodable datagrams with DecodeError reasons', () => {
    const reason = (buf: Buffer) => {
      try {
        decodeDatagram(buf);
        return 'decoded';
      } catch (error) {
        return error instanceof DecodeError ? error.reason : 'other';
      }
    };
    expect(reason(Buffer.alloc(0))).toBe('too-short');
    expect(reason(Buffer.alloc(MAX_DATAGRAM_BYTES + 1, 0x61))).toBe('too-long');
    expect(reason(Buffer.from([0x00, 0x01, 0x02]))).toBe('too-short');
    expect(reason(Buffer.alloc(40, 0))).toBe('bad-magic');
    expect(reason(Buffer.from([0xde, 0xad, 0xbe, 0xef, 0, 0, 0, 0]))).toBe('bad-magic');
    expect(reason(Buffer.from('{nope'))).toBe('bad-json');
    expect(reason(Buffer.from('two words'))).toBe('bad-node-id');
    const truncated = encodeBinary(beat).subarray(0, 10);
    expect(reason(truncated)).not.toBe('decoded');
  });
});

describe('UdpListener', () => {
  let listener: UdpListener | undefined;
  afterEach(async () => {
    await listener?.stop();
  });

  it('reports messages and rejections from real datagrams, and keeps serving', async () => {
    const messages: [Message, Peer][] = [];
    const rejects: RejectReason[] = [];
    listener = new UdpListener({
      clock: new SystemClock(),
      sink: {
        onMessage: (m, from) => messages.push([m, from]),
        onReject: (r) => rejects.push(r),
      },
    });
    const port = await listener.start();
    expect(listener.port).toBe(port);
    await sendUdp(port, Buffer.from([0xde, 0xad, 0xbe, 0xef, 0xff, 0xfe, 0xfd]));
    await sendUdp(port, Buffer.alloc(MAX_DATAGRAM_BYTES + 100, 0x41));
    await sendUdp(port, encodeBinary(beat));
    await sendUdp(port, 'text-node\n');
    await until(() => messages.length === 2 && rejects.length === 2);
    expect(messages.map(([m]) => m.nodeId)).toEqual(['web-1', 'text-node']);
    expect(messages[0]?.[1]).toMatchObject({ transport: 'udp', address: '127.0.0.1' });
    expect(rejects).toEqual(['bad-magic', 'too-long']);
  });

  it('says which port is in use', async () => {
    const sink = { onMessage: () => {}, onReject: () => {} };
    listener = new UdpListener({ clock: new SystemClock(), sink });
    const port = await listener.start();
    const second = new UdpListener({ clock: new SystemClock(), sink }, { port });
    await expect(second.start()).rejects.toThrow(`port ${port}/udp is in use`);
  });
});
