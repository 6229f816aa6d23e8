import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { ConfigError } from '../../src/core/errors.js';
import { transitionDocument } from '../../src/actions/transition-document.js';
import { WebhookSink, type WebhookEvents } from '../../src/actions/webhook.js';
import { transition } from '../store/transition-fixture.js';
import { HttpReceiver, type Answer } from './http-receiver.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setup(
  respond: (index: number) => Answer,
  options: Partial<ConstructorParameters<typeof WebhookSink>[1]> = {},
) {
  const receiver = await HttpReceiver.start(respond);
  const clock = new ManualClock();
  const sink = new WebhookSink({ clock }, { url: receiver.url, ...options });
  cleanups.push(
    () => receiver.close(),
    () => sink.stop(),
  );
  return { receiver, clock, sink };
}

function next<K extends keyof WebhookEvents>(
  sink: WebhookSink,
  name: K,
): Promise<WebhookEvents[K]> {
  return new Promise((resolve) => {
    const off = sink.events.on(name, (event) => {
      off();
      resolve(event);
    });
  });
}

describe('WebhookSink', () => {
  it('POSTs the transition as JSON with delivery headers', async () => {
    const { receiver, sink } = await setup(() => ({ status: 204 }));
    const t = transition();
    t.evidence.detector!.suspectAtMs = Infinity;
    const delivered = next(sink, 'webhook:delivered');
    sink.deliver(t);
    const event = await delivered;
    expect(event).toMatchObject({ nodeId: 'node-1', attempts: 1, status: 204 });
    const [request] = receiver.requests;
    expect(request?.method).toBe('POST');
    expect(request?.headers['content-type']).toBe('application/json');
    expect(request?.headers['x-heartbeat-delivery']).toBe(event.deliveryId);
    expect(request?.headers['x-heartbeat-attempt']).toBe('1');
    const body = JSON.parse(request!.body) as Record<string, unknown>;
    const expected = JSON.parse(JSON.stringify(transitionDocument(t))) as Record<string, unknown>;
    expect(body).toEqual({ ...expected, deliveryId: event.deliveryId });
    expect(body).toMatchObject({
      version: 1,
      nodeId: 'node-1',
      from: 'alive',
      to: 'suspect',
      reason: 'detector',
      time: '2023-11-14T22:13:32.000Z',
      detectionMs: 3100,
      downForMs: null,
      evidence: { detector: { suspectAtMs: null }, lastSeq: 42 },
    });
    expect(sink.stats()).toEqual({ delivered: 1, failed: 0, dropped: 0, pending: 0, retries: 0 });
  });

  it('retries failures with doubling backoff on the clock, then delivers', async () => {
    const { receiver, clock, sink } = await setup(
      (i) => (i < 3 ? { status: 500 } : { status: 200 }),
      {
        initialBackoffMs: 500,
        maxBackoffMs: 1500,
      },
    );
    let retry = next(sink, 'webhook:retry');
    sink.deliver(transition());
    for (const [attempt, delayMs] of [
      [1, 500],
      [2, 1000],
      [3, 1500], // capped
    ] as const) {
      const event = await retry;
      expect(event).toMatchObject({ attempt, delayMs, error: 'HTTP 500' });
      expect(receiver.requests).toHaveLength(attempt);
      // The retry timer is the only one pending, due exactly `delayMs` from now.
      expect(clock.pendingTimers()).toBe(1);
      expect(clock.nextDueMs()! - clock.monotonicMs()).toBe(delayMs);
      clock.advance(delayMs - 1);
      expect(clock.pendingTimers()).toBe(1);
      retry = next(sink, 'webhook:retry');
      const delivered = attempt === 3 ? next(sink, 'webhook:delivered') : undefined;
      clock.advance(1);
      await receiver.received(attempt + 1);
      expect(receiver.requests[attempt]?.headers['x-heartbeat-attempt']).toBe(String(attempt + 1));
      if (delivered !== undefined) expect((await delivered).attempts).toBe(4);
    }
    const bodies = new Set(receiver.requests.map((r) => r.body));
    expect(bodies.size).toBe(1); // the same document every time: receivers dedupe by deliveryId
    expect(sink.stats()).toEqual({ delivered: 1, failed: 0, dropped: 0, pending: 0, retries: 3 });
  });

  it('waits at least Retry-After, and gives up after maxAttempts', async () => {
    const { receiver, clock, sink } = await setup(
      () => ({ status: 503, headers: { 'retry-after': '3' } }),
      { maxAttempts: 2, initialBackoffMs: 100 },
    );
    const retry = next(sink, 'webhook:retry');
    sink.deliver(transition({ nodeId: 'first' }));
    expect((await retry).delayMs).toBe(3000);
    const failed = next(sink, 'webhook:failed');
    clock.advance(3000);
    expect(await failed).toMatchObject({ nodeId: 'first', attempts: 2, error: 'HTTP 503' });
    expect(receiver.requests).toHaveLength(2);
    expect(sink.stats()).toEqual({ delivered: 0, failed: 1, dropped: 0, pending: 0, retries: 1 });
  });

  it('does not retry a request the receiver refuses (4xx), and moves on to the next', async () => {
    const { receiver, sink } = await setup((i) => (i === 0 ? { status: 400 } : { status: 200 }));
    const failed = next(sink, 'webhook:failed');
    const delivered = next(sink, 'webhook:delivered');
    sink.deliver(transition({ nodeId: 'bad' }));
    sink.deliver(transition({ nodeId: 'good' }));
    expect(await failed).toMatchObject({ nodeId: 'bad', attempts: 1, error: 'HTTP 400' });
    expect(await delivered).toMatchObject({ nodeId: 'good', attempts: 1 });
    expect(receiver.requests.map((r) => (JSON.parse(r.body) as { nodeId: string }).nodeId)).toEqual(
      ['bad', 'good'],
    );
    expect(sink.stats()).toMatchObject({ delivered: 1, failed: 1, retries: 0 });
  });

  it('does not follow a redirect: the transition goes nowhere else, and the delivery fails', async () => {
    const elsewhere = await HttpReceiver.start(() => ({ status: 200 }));
    cleanups.push(() => elsewhere.close());
    const { receiver, sink } = await setup(() => ({
      status: 307,
      headers: { location: elsewhere.url },
    }));
    const failed = next(sink, 'webhook:failed');
    sink.deliver(transition({ nodeId: 'moved' }));
    expect(await failed).toMatchObject({
      nodeId: 'moved',
      attempts: 1,
      error: `HTTP 307: redirect to ${elsewhere.url} not followed`,
    });
    expect(receiver.requests).toHaveLength(1);
    expect(elsewhere.requests).toHaveLength(0);
  });

  it('never blocks deliver() on a hanging receiver; a full queue drops the oldest waiting', async () => {
    let hang = true;
    const { receiver, clock, sink } = await setup(() => (hang ? 'hang' : { status: 200 }), {
      maxPending: 3,
      timeoutMs: 2000,
      initialBackoffMs: 100,
    });
    const dropped: string[] = [];
    sink.events.on('webhook:dropped', (e) => dropped.push(e.nodeId));
    for (let i = 1; i <= 10; i++) sink.deliver(transition({ nodeId: `n${i}` }));
    // deliver() returned ten times while the first request is still unanswered.
    expect(sink.stats()).toEqual({ delivered: 0, failed: 0, dropped: 7, pending: 3, retries: 0 });
    expect(dropped).toEqual(['n2', 'n3', 'n4', 'n5', 'n6', 'n7', 'n8']);
    await receiver.received(1);

    // The attempt times out on the clock, and the retry goes to a receiver that now answers.
    hang = false;
    const retry = next(sink, 'webhook:retry');
    clock.advance(2000);
    expect(await retry).toMatchObject({
      nodeId: 'n1',
      attempt: 1,
      error: 'timed out after 2000 ms',
    });
    const allDone = new Promise<void>((resolve) =>
      sink.events.on('webhook:delivered', () => sink.stats().pending === 0 && resolve()),
    );
    clock.advance(100);
    await allDone;
    const order = receiver.requests.map((r) => (JSON.parse(r.body) as { nodeId: string }).nodeId);
    expect(order).toEqual(['n1', 'n1', 'n9', 'n10']);
    expect(sink.stats()).toEqual({ delivered: 3, failed: 0, dropped: 7, pending: 0, retries: 1 });
  });

  it('stop() aborts the attempt in flight, drops what is pending and leaves no timer', async () => {
    const { receiver, clock, sink } = await setup(() => 'hang');
    sink.deliver(transition({ nodeId: 'a' }));
    sink.deliver(transition({ nodeId: 'b' }));
    await receiver.received(1);
    expect(clock.pendingTimers()).toBe(1); // the attempt's timeout
    await sink.stop();
    expect(clock.pendingTimers()).toBe(0);
    expect(sink.stats()).toEqual({ delivered: 0, failed: 0, dropped: 2, pending: 0, retries: 0 });
    sink.deliver(transition());
    expect(sink.stats().dropped).toBe(3);
  });

  it('rejects URLs that are not http(s) with a ConfigError', () => {
    const clock = new ManualClock();
    expect(() => new WebhookSink({ clock }, { url: 'not a url' })).toThrow(ConfigError);
    expect(() => new WebhookSink({ clock }, { url: 'ftp://example.com/x' })).toThrow(
      'webhook URL "ftp://example.com/x" must be http:// or https://',
    );
  });
});
