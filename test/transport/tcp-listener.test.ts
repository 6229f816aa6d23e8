import type net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock, SystemClock } from '../../src/core/clock.js';
import { MAX_TCP_DECODE_ERRORS, MAX_TCP_GARBAGE_BYTES } from '../../src/core/limits.js';
import { encodeBinary } from '../../src/protocol/index.js';
import type { Message } from '../../src/protocol/message.js';
import { TcpListener } from '../../src/transport/tcp-listener.js';
import type { RejectReason } from '../../src/transport/listener.js';
import { connectTcp, until } from '../monitor/helpers.js';

const beat = (seq: number): Message => ({
  type: 'heartbeat',
  nodeId: 'db-1',
  incarnation: 1,
  seq,
  sentAtMs: 1_700_000_000_000 + seq,
  intervalMs: 500,
});

const closed = (socket: net.Socket) =>
  new Promise<void>((resolve) => {
    if (socket.destroyed) resolve();
    else socket.once('close', () => resolve());
  });

describe('TcpListener', () => {
  let listener: TcpListener | undefined;
  const sockets: net.Socket[] = [];
  const messages: Message[] = [];
  const rejects: RejectReason[] = [];
  const sink = {
    onMessage: (m: Message) => messages.push(m),
    onReject: (r: RejectReason) => rejects.push(r),
  };

  afterEach(async () => {
    for (const s of sockets.splice(0)) s.destroy();
    await listener?.stop();
    messages.length = 0;
    rejects.length = 0;
  });

  async function open(port: number): Promise<net.Socket> {
    const s = await connectTcp(port);
    s.on('error', () => {});
    sockets.push(s);
    return s;
  }

  it('reads binary frames and text lines mixed on one connection, split anywhere', async () => {
    listener = new TcpListener({ clock: new SystemClock(), sink });
    const port = await listener.start();
    const socket = await open(port);
    const stream = Buffer.concat([
      encodeBinary(beat(1)),
      Buffer.from('cron-job\n'),
      encodeBinary(beat(2)),
    ]);
    // Byte by byte in three writes: framing must not depend on chunk boundaries.
    socket.write(stream.subarray(0, 5));
    socket.write(stream.subarray(5, 40));
    socket.write(stream.subarray(40));
    await until(() => messages.length === 3);
    expect(messages.map((m) => [m.nodeId, m.seq])).toEqual([
      ['db-1', 1],
      ['cron-job', undefined],
      ['db-1', 2],
    ]);
    expect(rejects).toEqual([]);
  });

  it('decodes a last line without newline when the peer ends the stream', async () => {
    listener = new TcpListener({ clock: new SystemClock(), sink });
    const socket = await open(await listener.start());
    socket.end('printf-node');
    await until(() => messages.length === 1);
    expect(messages[0]?.nodeId).toBe('printf-node');
  });

  it('counts bad messages and closes a connection that keeps sending them', async () => {
    listener = new TcpListener({ clock: new SystemClock(), sink });
    const port = await listener.start();
    const socket = await open(port);
    socket.write('bad id with spaces\n');
    socket.write('good-one\n');
    await until(() => messages.length === 1);
    expect(rejects).toEqual(['bad-node-id']);
    expect(listener.connectionCount).toBe(1);
    socket.write('x y\n'.repeat(MAX_TCP_DECODE_ERRORS + 1));
    await closed(socket);
    expect(rejects.filter((r) => r === 'bad-node-id')).toHaveLength(MAX_TCP_DECODE_ERRORS + 1);
    expect(rejects.at(-1)).toBe('connection-garbage');
    // The listener still serves others.
    const other = await open(port);
    other.write(encodeBinary(beat(9)));
    await until(() => messages.length === 2);
    expect(messages[1]?.seq).toBe(9);
  });

  it('closes a connection that sends a stream of bytes with no message in it', async () => {
    listener = new TcpListener({ clock: new SystemClock(), sink });
    const socket = await open(await listener.start());
    // No newline and no frame magic: the decoder discards it; the byte budget closes it.
    socket.write(Buffer.alloc(MAX_TCP_GARBAGE_BYTES + 1024, 0x41));
    await closed(socket);
    expect(rejects).toContain('connection-garbage');
  });

  it('refuses connections beyond the limit and counts them', async () => {
    listener = new TcpListener({ clock: new SystemClock(), sink }, { maxConnections: 1 });
    const port = await listener.start();
    const first = await open(port);
    first.write('first\n');
    await until(() => messages.length === 1);
    const second = await open(port);
    await closed(second);
    await until(() => rejects.includes('connection-limit'));
    first.write('first\n');
    await until(() => messages.length === 2);
  });

  it('closes idle connections on the clock, not on wall time', async () => {
    const clock = new ManualClock();
    listener = new TcpListener({ clock, sink }, { idleTimeoutMs: 10_000 });
    const socket = await open(await listener.start());
    socket.write('chatty\n');
    await until(() => messages.length === 1);
    clock.advance(9_000);
    expect(listener.connectionCount).toBe(1);
    socket.write('chatty\n');
    await until(() => messages.length === 2);
    clock.advance(9_000);
    expect(listener.connectionCount).toBe(1);
    clock.advance(3_000);
    expect(listener.connectionCount).toBe(0);
    await closed(socket);
  });

  it('says which port is in use', async () => {
    listener = new TcpListener({ clock: new SystemClock(), sink });
    const port = await listener.start();
    const second = new TcpListener({ clock: new SystemClock(), sink }, { port });
    await expect(second.start()).rejects.toThrow(`port ${port}/tcp is in use`);
  });
});
