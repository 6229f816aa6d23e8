import { afterEach, describe, expect, it } from 'vitest';
import { SystemClock } from '../../src/core/clock.js';
import type { Message } from '../../src/protocol/index.js';
import { createSender } from '../../src/transport/create-sender.js';
import { SendError, type SenderErrorEvent } from '../../src/transport/sender.js';
import { parseTarget } from '../../src/transport/target.js';
import { UdpSender } from '../../src/transport/udp-sender.js';
import { nextEvent, udpReceiver, type UdpReceiver } from '../agent/receivers.js';

const clock = new SystemClock();
const heartbeat = (seq: number, extra: Partial<Message> = {}): Message => ({
  type: 'heartbeat',
  nodeId: 'udp-node',
  incarnation: 7,
  seq,
  sentAtMs: 1_700_000_000_000 + seq,
  intervalMs: 1000,
  payload: { load1: 0.5, version: '1.2.3' },
  ...extra,
});

let receiver: UdpReceiver | undefined;
afterEach(async () => {
  await receiver?.close();
  receiver = undefined;
});

describe('UdpSender', () => {
  it('sends each message as one binary datagram that decodes to the same message', async () => {
    receiver = await udpReceiver();
    const sender = createSender({ clock }, parseTarget(`udp://127.0.0.1:${receiver.port}`));
    expect(sender).toBeInstanceOf(UdpSender);
    const sent: number[] = [];
    sender.events.on('sent', (e) => sent.push(e.message.seq ?? -1));
    sender.send(heartbeat(1));
    sender.send(heartbeat(2));
    sender.send({ ...heartbeat(3), type: 'leave', payload: undefined });
    const got = await receiver.inbox.waitForCount(3);
    expect(got).toEqual([
      heartbeat(1),
      heartbeat(2),
      {
        type: 'leave',
        nodeId: 'udp-node',
        incarnation: 7,
        seq: 3,
        sentAtMs: 1_700_000_000_003,
        intervalMs: 1000,
      },
    ]);
    await sender.close();
    expect(sent).toEqual([1, 2, 3]);
    const stats = sender.stats();
    expect(stats.sent).toBe(3);
    expect(stats.failed).toBe(0);
    expect(stats.bytes).toBeGreaterThan(3 * 30);
  });

  it('resolves a host name once and sends to its address', async () => {
    receiver = await udpReceiver();
    const sender = createSender({ clock }, parseTarget(`udp://localhost:${receiver.port}`));
    sender.send(heartbeat(1));
    sender.send(heartbeat(2));
    // Both were sent before the lookup finished: only the newest waits for it.
    await receiver.inbox.waitFor((m) => m.seq === 2);
    sender.send(heartbeat(3));
    await receiver.inbox.waitFor((m) => m.seq === 3);
    await sender.close();
    expect(receiver.inbox.messages.map((m) => m.seq)).toEqual([2, 3]);
    expect(sender.stats()).toMatchObject({ sent: 2, replaced: 1, failed: 0 });
  });

  it('counts and emits errors instead of throwing: bad message, unknown host, closed', async () => {
    const sender = createSender({ clock }, parseTarget('udp://no-such-host.invalid:9000'));
    const errors: SenderErrorEvent[] = [];
    sender.events.on('error', (e) => errors.push(e));
    expect(() => sender.send(heartbeat(1, { nodeId: 'has space' }))).not.toThrow();
    expect(errors[0]?.error).toBeInstanceOf(SendError);
    expect(errors[0]?.error.reason).toBe('encode');
    const resolveFailed = nextEvent<SenderErrorEvent>(
      (l) => sender.events.on('error', l),
      (e) => e.error.reason === 'resolve',
    );
    sender.send(heartbeat(2));
    const failed = await resolveFailed;
    expect(failed.message?.seq).toBe(2);
    expect(failed.error.message).toContain('no-such-host.invalid');
    await sender.close();
    sender.send(heartbeat(3));
    expect(errors.map((e) => e.error.reason)).toEqual(['encode', 'resolve', 'closed']);
    expect(sender.stats()).toMatchObject({ sent: 0, failed: 3 });
  });

  it('delivers a message sent right before close (the leave on shutdown)', async () => {
    receiver = await udpReceiver();
    const sender = createSender({ clock }, parseTarget(`udp://127.0.0.1:${receiver.port}`));
    sender.send({ ...heartbeat(9), type: 'leave' });
    await sender.close();
    await sender.close();
    expect((await receiver.inbox.waitFor()).type).toBe('leave');
    expect(sender.stats().sent).toBe(1);
  });
});
