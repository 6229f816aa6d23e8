import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock, SystemClock } from '../../src/core/clock.js';
import { SeededRng } from '../../src/core/rng.js';
import type { Message } from '../../src/protocol/index.js';
import { createSender } from '../../src/transport/create-sender.js';
import { type SenderErrorEvent } from '../../src/transport/sender.js';
import { parseTarget } from '../../src/transport/target.js';
import { TcpSender, reconnectDelayMs } from '../../src/transport/tcp-sender.js';
import { freePort, nextEvent, tcpReceiver, type TcpReceiver } from '../agent/receivers.js';

const heartbeat = (seq: number, type: Message['type'] = 'heartbeat'): Message => ({
  type,
  nodeId: 'tcp-node',
  incarnation: 3,
  seq,
  sentAtMs: 1_700_000_000_000 + seq,
  intervalMs: 1000,
});

const servers: TcpReceiver[] = [];
const senders: TcpSender[] = [];
afterEach(async () => {
  await Promise.all(senders.splice(0).map((s) => s.close()));
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

function tcpSender(port: number, clock = new SystemClock(), rng?: SeededRng): TcpSender {
  const sender = createSender(
    { clock, ...(rng !== undefined ? { rng } : {}) },
    parseTarget(`tcp://127.0.0.1:${port}`),
    { tcp: { initialBackoffMs: 10, maxBackoffMs: 50 } },
  ) as TcpSender;
  senders.push(sender);
  return sender;
}

describe('reconnectDelayMs', () => {
  it.each([
    [0, 0, 50],
    [0, 0.999_999, 100],
    [1, 0, 100],
    [3, 0.5, 600],
    [10, 0, 2500],
    [10, 0.999_999, 5000],
    [5000, 0.5, 3750],
  ])('attempt %i, random %f → %f ms (initial 100, max 5000)', (attempt, random, expected) => {
    expect(reconnectDelayMs(attempt, 100, 5000, random)).toBeCloseTo(expected, 2);
  });
});

describe('TcpSender', () => {
  it('connects on the first send and writes frames in order on one connection', async () => {
    const server = await tcpReceiver();
    servers.push(server);
    const sender = tcpSender(server.port);
    expect(sender.connected).toBe(false);
    const connected = nextEvent((l) => sender.events.on('connect', l));
    sender.send(heartbeat(1));
    await connected;
    sender.send(heartbeat(2));
    sender.send(heartbeat(3));
    const got = await server.inbox.waitForCount(3);
    expect(got.map((m) => m.seq)).toEqual([1, 2, 3]);
    expect(got[1]).toEqual(heartbeat(2));
    expect(server.connections).toBe(1);
    expect(sender.stats()).toMatchObject({ sent: 3, failed: 0, replaced: 0, connects: 1 });
  });

  it('keeps only the newest message while not connected', async () => {
    const server = await tcpReceiver();
    servers.push(server);
    const sender = tcpSender(server.port);
    // All five are sent before the connection is up: four are replaced, one goes out.
    for (let seq = 1; seq <= 5; seq++) sender.send(heartbeat(seq));
    await server.inbox.waitFor((m) => m.seq === 5);
    sender.send(heartbeat(6));
    await server.inbox.waitFor((m) => m.seq === 6);
    expect(server.inbox.messages.map((m) => m.seq)).toEqual([5, 6]);
    expect(sender.stats()).toMatchObject({ sent: 2, replaced: 4 });
  });

  it('reconnects after the monitor restarts and sends the newest heartbeat', async () => {
    const first = await tcpReceiver();
    const port = first.port;
    const sender = tcpSender(port);
    sender.send(heartbeat(1));
    await first.inbox.waitFor((m) => m.seq === 1);

    const lost = nextEvent((l) => sender.events.on('disconnect', l));
    await first.close();
    await lost;
    expect(sender.connected).toBe(false);
    // While the monitor is away, heartbeats replace each other.
    sender.send(heartbeat(2));
    sender.send(heartbeat(3));

    const reconnected = nextEvent((l) => sender.events.on('connect', l));
    const second = await tcpReceiver(port);
    servers.push(second);
    await reconnected;
    await second.inbox.waitFor((m) => m.seq === 3);
    sender.send(heartbeat(4));
    await second.inbox.waitFor((m) => m.seq === 4);
    expect(second.inbox.messages.map((m) => m.seq)).toEqual([3, 4]);
    expect(sender.stats().connects).toBe(2);
  });

  it('backs off exponentially with jitter, timed by the clock', async () => {
    const port = await freePort();
    const clock = new ManualClock();
    const rng = new SeededRng(11);
    const expectRng = new SeededRng(11);
    const sender = createSender({ clock, rng }, parseTarget(`tcp://127.0.0.1:${port}`), {
      tcp: { initialBackoffMs: 100, maxBackoffMs: 400, connectTimeoutMs: 60_000 },
    }) as TcpSender;
    senders.push(sender);
    const refused = () =>
      nextEvent<SenderErrorEvent>(
        (l) => sender.events.on('error', l),
        (e) => e.error.reason === 'connect',
      );
    let failure = refused();
    sender.send(heartbeat(1));
    const delays: number[] = [];
    for (let attempt = 0; attempt < 5; attempt++) {
      const event = await failure;
      expect(event.error.message).toMatch(/ECONNREFUSED/);
      // The connect timeout was cancelled: the one pending timer is the reconnect.
      expect(clock.pendingTimers()).toBe(1);
      const delay = (clock.nextDueMs() as number) - clock.monotonicMs();
      delays.push(delay);
      expect(delay).toBeCloseTo(reconnectDelayMs(attempt, 100, 400, expectRng.next()), 9);
      failure = refused();
      clock.advance(delay);
    }
    expect(delays[0]).toBeGreaterThanOrEqual(50);
    expect(delays[0]).toBeLessThan(100);
    expect(delays[4]).toBeGreaterThanOrEqual(200);
    expect(delays[4]).toBeLessThan(400);
    // Still only the newest heartbeat waits; nothing was queued behind it.
    sender.send(heartbeat(2));
    expect(sender.stats()).toMatchObject({ sent: 0, replaced: 1 });
    await failure;
  });

  it('gives up a connection attempt after the connect timeout', async () => {
    const server = await tcpReceiver();
    servers.push(server);
    const clock = new ManualClock();
    const sender = createSender({ clock }, parseTarget(`tcp://127.0.0.1:${server.port}`), {
      tcp: { connectTimeoutMs: 1000, initialBackoffMs: 100 },
    }) as TcpSender;
    senders.push(sender);
    const failed = nextEvent<SenderErrorEvent>((l) => sender.events.on('error', l));
    sender.send(heartbeat(1));
    // The clock reaches the timeout before the handshake can complete (it needs the event loop).
    clock.advance(1000);
    const event = await failed;
    expect(event.error.reason).toBe('connect');
    expect(event.error.message).toContain('connect timed out');
    expect(sender.connected).toBe(false);
    // The reconnect is the next timer; it connects and delivers the heartbeat that waited.
    const connected = nextEvent((l) => sender.events.on('connect', l));
    clock.advance(100);
    await connected;
    expect((await server.inbox.waitFor()).seq).toBe(1);
  });

  it('close() delivers the pending leave, then closes the connection', async () => {
    const server = await tcpReceiver();
    servers.push(server);
    const sender = tcpSender(server.port);
    sender.send(heartbeat(1));
    sender.send(heartbeat(2, 'leave'));
    await sender.close();
    const leave = await server.inbox.waitFor((m) => m.type === 'leave');
    expect(leave.seq).toBe(2);
    expect(sender.connected).toBe(false);
    sender.send(heartbeat(3));
    expect(sender.stats()).toMatchObject({ sent: 1, replaced: 1, failed: 1 });
  });

  it('close() with the monitor unreachable resolves and counts the message as failed', async () => {
    const sender = tcpSender(await freePort());
    const errors: string[] = [];
    sender.events.on('error', (e) => errors.push(e.error.reason));
    sender.send(heartbeat(1, 'leave'));
    await sender.close();
    expect(errors).toContain('disconnected');
    expect(sender.stats()).toMatchObject({ sent: 0, failed: 1 });
  });
});
