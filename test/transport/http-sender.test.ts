import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock, SystemClock } from '../../src/core/clock.js';
import type { Message } from '../../src/protocol/index.js';
import { HttpSender } from '../../src/transport/http-sender.js';
import { createSender } from '../../src/transport/create-sender.js';
import { type SenderErrorEvent, type SentEvent } from '../../src/transport/sender.js';
import { parseTarget } from '../../src/transport/target.js';
import { freePort, httpReceiver, nextEvent, type HttpReceiver } from '../agent/receivers.js';

const heartbeat = (seq: number, type: Message['type'] = 'heartbeat'): Message => ({
  type,
  nodeId: 'http-node',
  incarnation: 5,
  seq,
  sentAtMs: 1_700_000_000_000 + seq,
  intervalMs: 500,
  payload: { rssBytes: 123_456, region: 'eu-1' },
});

const receivers: HttpReceiver[] = [];
afterEach(async () => {
  await Promise.all(receivers.splice(0).map((r) => r.close()));
});

async function receiver(): Promise<HttpReceiver> {
  const r = await httpReceiver();
  receivers.push(r);
  return r;
}

const errorsOf = (sender: HttpSender): SenderErrorEvent[] => {
  const errors: SenderErrorEvent[] = [];
  sender.events.on('error', (e) => errors.push(e));
  return errors;
};

describe('HttpSender', () => {
  it('POSTs the JSON message to {base}/v1/heartbeat', async () => {
    const r = await receiver();
    const sender = createSender(
      { clock: new SystemClock() },
      parseTarget(`http://127.0.0.1:${r.port}/hb/`),
    );
    expect(sender).toBeInstanceOf(HttpSender);
    const sent = nextEvent<SentEvent>((l) => sender.events.on('sent', l));
    sender.send(heartbeat(1));
    expect(await r.inbox.waitFor()).toEqual(heartbeat(1));
    expect((await sent).message.seq).toBe(1);
    expect(r.paths).toEqual(['POST /hb/v1/heartbeat']);
    await sender.close();
    expect(sender.stats()).toMatchObject({ sent: 1, failed: 0 });
  });

  it('sends one request at a time; a newer message replaces the one waiting', async () => {
    const r = await receiver();
    const sender = createSender(
      { clock: new SystemClock() },
      parseTarget(`http://127.0.0.1:${r.port}`),
    );
    sender.send(heartbeat(1));
    sender.send(heartbeat(2));
    sender.send(heartbeat(3));
    await sender.close();
    expect(r.inbox.messages.map((m) => m.seq)).toEqual([1, 3]);
    expect(sender.stats()).toMatchObject({ sent: 2, replaced: 1 });
  });

  it('counts an error status as failed and does not retry it', async () => {
    const r = await receiver();
    r.status = 503;
    const sender = createSender(
      { clock: new SystemClock() },
      parseTarget(`http://127.0.0.1:${r.port}`),
    ) as HttpSender;
    const errors = errorsOf(sender);
    sender.send(heartbeat(1));
    await sender.close();
    expect(errors).toHaveLength(1);
    expect(errors[0]?.error.reason).toBe('http-status');
    expect(errors[0]?.error.message).toContain('HTTP 503');
    expect(errors[0]?.message?.seq).toBe(1);
    expect(r.paths).toHaveLength(1);
    expect(sender.stats()).toMatchObject({ sent: 0, failed: 1 });
  });

  it('aborts a request the monitor does not answer within the timeout (clock time)', async () => {
    const r = await receiver();
    r.hang = true;
    const clock = new ManualClock();
    const sender = createSender({ clock }, parseTarget(`http://127.0.0.1:${r.port}`), {
      http: { timeoutMs: 2000 },
    }) as HttpSender;
    const errors = errorsOf(sender);
    sender.send(heartbeat(1));
    await r.inbox.waitFor((m) => m.seq === 1);
    sender.send(heartbeat(2));
    sender.send(heartbeat(3));
    clock.advance(1999);
    expect(errors).toHaveLength(0);
    const timedOut = nextEvent<SenderErrorEvent>((l) => sender.events.on('error', l));
    clock.advance(1);
    expect((await timedOut).error.reason).toBe('timeout');
    // The newest waiting message goes out next; the replaced one never does.
    await r.inbox.waitFor((m) => m.seq === 3);
    expect(r.inbox.messages.map((m) => m.seq)).toEqual([1, 3]);
    r.hang = false;
    clock.advance(2000);
    await sender.close();
    expect(sender.stats()).toMatchObject({ sent: 0, failed: 2, replaced: 1 });
  });

  it('reports a refused connection with its cause and never throws', async () => {
    const port = await freePort();
    const sender = createSender(
      { clock: new SystemClock() },
      parseTarget(`http://127.0.0.1:${port}`),
    ) as HttpSender;
    const errors = errorsOf(sender);
    expect(() => sender.send(heartbeat(1))).not.toThrow();
    await sender.close();
    expect(errors.map((e) => e.error.reason)).toEqual(['socket']);
    expect(errors[0]?.error.message).toContain('ECONNREFUSED');
    sender.send(heartbeat(2));
    expect(errors.map((e) => e.error.reason)).toEqual(['socket', 'closed']);
  });
});
