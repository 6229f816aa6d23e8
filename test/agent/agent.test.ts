import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Agent, type AgentOptions } from '../../src/agent/agent.js';
import { incarnationAt } from '../../src/agent/incarnation.js';
import type { PayloadProvider } from '../../src/agent/providers/provider.js';
import { ManualClock, type Clock, type TimerHandle } from '../../src/core/clock.js';
import { ConfigError } from '../../src/core/errors.js';
import { MAX_PAYLOAD_ENTRIES } from '../../src/core/limits.js';
import { SeededRng } from '../../src/core/rng.js';
import { MAX_U32, type Message } from '../../src/protocol/index.js';
import { SendError } from '../../src/transport/sender.js';
import { FakeSender } from './fake-sender.js';

const WALL_START_MS = 1_750_000_000_000;

function setup(
  options: Partial<AgentOptions> = {},
  seed = 1,
  clock: Clock = new ManualClock({ wallStartMs: WALL_START_MS }),
) {
  const senders: FakeSender[] = [];
  const agent = new Agent(
    {
      clock,
      rng: new SeededRng(seed),
      createSender: (target) => {
        const sender = new FakeSender(target);
        senders.push(sender);
        return sender;
      },
    },
    { nodeId: 'node-1', targets: ['udp://127.0.0.1:9000'], providers: [], ...options },
  );
  const sent: { atMs: number; message: Message }[] = [];
  agent.on('message', (message) => sent.push({ atMs: clock.monotonicMs(), message }));
  return { agent, senders, sent, clock };
}

/** The instants the agent must send at: the same formula, fed by the same seeded generator. */
function expectedTimes(
  seed: number,
  intervalMs: number,
  jitterRatio: number,
  count: number,
): number[] {
  const rng = new SeededRng(seed);
  const times = [0];
  for (let i = 1; i < count; i++) {
    times.push((times[i - 1] as number) + intervalMs * (1 + jitterRatio * (2 * rng.next() - 1)));
  }
  return times;
}

describe('Agent timing', () => {
  it('sends at once on start, then every interval with seeded jitter, exactly', () => {
    const { agent, sent, clock } = setup({}, 42);
    agent.start();
    expect(sent.map((s) => s.atMs)).toEqual([0]);
    (clock as ManualClock).advance(10_000);
    const times = expectedTimes(42, 1000, 0.1, sent.length);
    expect(sent.map((s) => s.atMs)).toEqual(times);
    expect(sent.length).toBeGreaterThanOrEqual(10);
    for (let i = 1; i < sent.length; i++) {
      const gap = (sent[i]?.atMs as number) - (sent[i - 1]?.atMs as number);
      expect(gap).toBeGreaterThanOrEqual(900);
      expect(gap).toBeLessThanOrEqual(1100);
    }
  });

  it('without jitter sends exactly every intervalMs', () => {
    const { agent, sent, clock } = setup({ intervalMs: 250, jitterRatio: 0 });
    agent.start();
    (clock as ManualClock).advance(1000);
    expect(sent.map((s) => s.atMs)).toEqual([0, 250, 500, 750, 1000]);
  });

  it('keeps every gap within intervalMs · (1 ± jitterRatio) and seq contiguous (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2 ** 31 }),
        fc.integer({ min: 10, max: 60_000 }),
        fc.double({ min: 0, max: 0.5, noNaN: true }),
        (seed, intervalMs, jitterRatio) => {
          const { agent, sent, clock } = setup({ intervalMs, jitterRatio }, seed);
          agent.start();
          (clock as ManualClock).advance(intervalMs * 20);
          expect(sent.length).toBeGreaterThanOrEqual(14);
          for (let i = 0; i < sent.length; i++) {
            const { message, atMs } = sent[i] as { message: Message; atMs: number };
            expect(message.seq).toBe(i + 1);
            expect(message.intervalMs).toBe(intervalMs);
            expect(message.incarnation).toBe(agent.incarnation);
            if (i > 0) {
              const gap = atMs - (sent[i - 1]?.atMs as number);
              expect(gap).toBeGreaterThanOrEqual(intervalMs * (1 - jitterRatio) - 1e-6);
              expect(gap).toBeLessThanOrEqual(intervalMs * (1 + jitterRatio) + 1e-6);
            }
          }
        },
      ),
      { numRuns: 50 },
    );
  });

  it('after a stall sends one heartbeat and goes on from there, not a burst', () => {
    const manual = new ManualClock({ wallStartMs: WALL_START_MS });
    // A clock whose next timer fires 5 s late, as after a paused process.
    let lateByMs = 0;
    const clock: Clock = {
      monotonicMs: () => manual.monotonicMs(),
      wallMs: () => manual.wallMs(),
      setInterval: (fn, ms) => manual.setInterval(fn, ms),
      setTimeout: (fn, ms): TimerHandle => {
        const handle = manual.setTimeout(fn, ms + lateByMs);
        lateByMs = 0;
        return handle;
      },
    };
    const { agent, sent } = setup({ jitterRatio: 0 }, 1, clock);
    agent.start();
    lateByMs = 5000;
    manual.advance(1000); // the timer set now, due at 2000, fires at 7000
    manual.advance(5999);
    expect(sent.map((s) => s.atMs)).toEqual([0, 1000]);
    manual.advance(1);
    expect(sent.map((s) => s.atMs)).toEqual([0, 1000, 7000]);
    manual.advance(1000);
    expect(sent.map((s) => s.atMs)).toEqual([0, 1000, 7000, 8000]);
  });

  it('stamps sentAtMs with the wall clock and the same incarnation on every message', () => {
    const { agent, sent, clock } = setup({ intervalMs: 100, jitterRatio: 0 });
    agent.start();
    (clock as ManualClock).advance(300);
    expect(sent.map((s) => s.message.sentAtMs)).toEqual(
      [0, 100, 200, 300].map((t) => WALL_START_MS + t),
    );
    expect(new Set(sent.map((s) => s.message.incarnation)).size).toBe(1);
  });
});

describe('Agent lifecycle', () => {
  it('stop() sends leave with the next seq to every target, closes them and clears its timer', async () => {
    const { agent, senders, sent, clock } = setup({
      targets: ['udp://127.0.0.1:9000', 'tcp://127.0.0.1:9001', 'http://127.0.0.1:8080'],
      intervalMs: 100,
      jitterRatio: 0,
    });
    agent.start();
    (clock as ManualClock).advance(250);
    await agent.stop();
    expect(senders).toHaveLength(3);
    for (const sender of senders) {
      expect(sender.closed).toBe(true);
      expect(sender.messages.map((m) => `${m.type}:${m.seq}`)).toEqual([
        'heartbeat:1',
        'heartbeat:2',
        'heartbeat:3',
        'leave:4',
      ]);
    }
    const leave = sent.at(-1)?.message;
    expect(leave).toEqual({
      type: 'leave',
      nodeId: 'node-1',
      incarnation: agent.incarnation,
      seq: 4,
      sentAtMs: WALL_START_MS + 250,
      intervalMs: 100,
    });
    expect((clock as ManualClock).pendingTimers()).toBe(0);
    (clock as ManualClock).advance(10_000);
    expect(sent).toHaveLength(4);
    expect(agent.stats()).toMatchObject({ seq: 4, messages: 4 });
    expect(agent.stats().targets['tcp://127.0.0.1:9001']).toMatchObject({ sent: 4 });
  });

  it('stop({ leave: false }) stops without a goodbye; stop is idempotent', async () => {
    const { agent, sent } = setup();
    agent.start();
    const first = agent.stop({ leave: false });
    expect(agent.stop()).toBe(first);
    await first;
    expect(sent.map((s) => s.message.type)).toEqual(['heartbeat']);
  });

  it('cannot start again once stopped; start while running does nothing', async () => {
    const { agent, sent } = setup();
    agent.start();
    agent.start();
    expect(sent).toHaveLength(1);
    await agent.stop();
    expect(() => agent.start()).toThrow(/cannot start again/);
  });

  it('stop() before start() sends nothing', async () => {
    const { agent, sent, senders } = setup();
    await agent.stop();
    expect(sent).toHaveLength(0);
    expect(senders).toHaveLength(0);
  });

  it('forwards its senders’ sent and error events', () => {
    const { agent, senders } = setup();
    const events: string[] = [];
    agent.on('sent', (e) => events.push(`sent ${e.target} ${e.message.seq}`));
    agent.on('error', (e) => events.push(`error ${e.target} ${e.error.message}`));
    agent.start();
    senders[0]?.events.emit('error', {
      target: 'udp://127.0.0.1:9000',
      error: new SendError('socket', 'udp://127.0.0.1:9000', 'boom'),
    });
    expect(events).toEqual([
      'sent udp://127.0.0.1:9000 1',
      'error udp://127.0.0.1:9000 udp://127.0.0.1:9000: boom',
    ]);
  });

  it('starts a new incarnation instead of wrapping seq past 2^32 − 1', () => {
    const { agent, sent, clock } = setup({ incarnation: 77, intervalMs: 100, jitterRatio: 0 });
    agent.start();
    Reflect.set(agent, 'seq', MAX_U32 - 1);
    (clock as ManualClock).advance(200);
    expect(sent.map((s) => [s.message.incarnation, s.message.seq])).toEqual([
      [77, 1],
      [77, MAX_U32],
      [78, 1],
    ]);
  });
});

describe('Agent payload', () => {
  const provider = (
    name: string,
    collect: () => Record<string, number | string>,
  ): PayloadProvider => ({
    name,
    collect,
  });

  it('merges providers in order, then metrics; a later key wins', () => {
    let depth = 3;
    const { agent, sent, clock } = setup({
      intervalMs: 100,
      jitterRatio: 0,
      providers: [
        provider('a', () => ({ x: 1, region: 'default' })),
        provider('b', () => ({ y: 'two' })),
      ],
      metrics: () => ({ region: 'eu-1', queueDepth: depth++ }),
    });
    agent.start();
    (clock as ManualClock).advance(100);
    expect(sent.map((s) => s.message.payload)).toEqual([
      { x: 1, region: 'eu-1', y: 'two', queueDepth: 3 },
      { x: 1, region: 'eu-1', y: 'two', queueDepth: 4 },
    ]);
  });

  it('sends no payload with no providers', () => {
    const { agent, sent } = setup();
    agent.start();
    expect(sent[0]?.message).not.toHaveProperty('payload');
  });

  it('leaves out bad or excess entries and a failing provider, reports them, still sends', () => {
    const many = Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`k${i}`, i]));
    const { agent, sent } = setup({
      providers: [
        provider('broken', () => {
          throw new Error('no /proc here');
        }),
        provider('odd', () => ({ 'bad key': 1, nan: Number.NaN, ok: 'fine' })),
        provider('many', () => many),
      ],
    });
    const errors: string[] = [];
    agent.on('error', (e) => errors.push(`${e.provider}: ${e.error.message}`));
    agent.start();
    const payload = sent[0]?.message.payload ?? {};
    expect(Object.keys(payload)).toHaveLength(MAX_PAYLOAD_ENTRIES);
    expect(payload['ok']).toBe('fine');
    expect(payload).not.toHaveProperty('nan');
    expect(errors[0]).toMatch(/^broken: .*no \/proc here/);
    expect(errors.filter((e) => e.startsWith('odd:'))).toHaveLength(2);
    // "many" is cut at 32 entries (reported once); with the good one from "odd", 1 does not fit.
    expect(errors.filter((e) => /many: .*more than 32 entries/.test(e))).toHaveLength(1);
    expect(errors.filter((e) => /many: k31: left out, over 32 entries/.test(e))).toHaveLength(1);
    expect(agent.stats().payloadProblems).toBe(5);
  });

  it('includes the built-in providers by default', async () => {
    const { agent, sent } = setup({ providers: undefined, metrics: { rack: 'r7' } });
    agent.start();
    const payload = sent[0]?.message.payload ?? {};
    for (const key of [
      'load1',
      'load5',
      'load15',
      'cpuCount',
      'rssBytes',
      'heapUsedBytes',
      'uptimeMs',
      'nodeVersion',
      'rack',
    ]) {
      expect(payload).toHaveProperty(key);
    }
    expect(payload['uptimeMs']).toBe(0);
    await agent.stop();
  });
});

describe('Agent options', () => {
  const bad: [string, Partial<AgentOptions>, RegExp][] = [
    ['an empty node id', { nodeId: '' }, /bad node id "": node id is empty/],
    ['a node id with a space', { nodeId: 'a b' }, /bad node id/],
    ['no targets', { targets: [] }, /at least one monitor URL/],
    ['a bad URL', { targets: ['udp://x'] }, /bad monitor URL "udp:\/\/x": needs a port/],
    ['a target twice', { targets: ['udp://h:1', 'UDP://h:1/'] }, /listed twice/],
    ['a tiny interval', { intervalMs: 5 }, /intervalMs must be .* from 10/],
    ['a NaN interval', { intervalMs: Number.NaN }, /intervalMs/],
    ['an interval over a day', { intervalMs: 86_400_001 }, /intervalMs must be .* to 86400000/],
    ['jitter over 0.5', { jitterRatio: 0.6 }, /jitterRatio must be a number from 0 to 0.5/],
    ['a negative jitter', { jitterRatio: -0.1 }, /jitterRatio/],
    ['a fractional incarnation', { incarnation: 1.5 }, /incarnation must be an integer/],
    ['an incarnation over u32', { incarnation: 2 ** 32 }, /incarnation/],
    ['a metric with a bad key', { metrics: { 'a b': 1 } }, /bad metric "a b"/],
    [
      'an infinite metric',
      { metrics: { x: Infinity } },
      /bad metric x: payload number is not finite/,
    ],
    ['an unknown provider', { providers: ['disk' as never] }, /unknown payload provider "disk"/],
  ];
  it.each(bad)('refuses %s with a ConfigError', (_what, options, message) => {
    expect(() => setup(options)).toThrow(ConfigError);
    expect(() => setup(options)).toThrow(message);
  });

  it('rounds the interval to whole ms', () => {
    expect(setup({ intervalMs: 1000.4 }).agent.intervalMs).toBe(1000);
  });
});

describe('incarnation', () => {
  it.each([
    [0, 0],
    [9.99, 0],
    [1234, 123],
    [(MAX_U32 + 1) * 10, 0],
    [(MAX_U32 + 1) * 10 + 25, 2],
    [-10, MAX_U32],
    [1_750_000_000_000, 175_000_000_000 % 2 ** 32],
  ])('incarnationAt(%d) = %d', (wallMs, expected) => {
    expect(incarnationAt(wallMs)).toBe(expected);
  });

  it('defaults to the wall clock in 10 ms units, and increases across agents created at once', () => {
    const clock = new ManualClock({ wallStartMs: 1_800_000_000_000 });
    const first = setup({}, 1, clock).agent.incarnation;
    const second = setup({}, 1, clock).agent.incarnation;
    expect(first).toBe(incarnationAt(1_800_000_000_000));
    expect(second).toBe(first + 1);
    clock.advance(1000);
    expect(setup({}, 1, clock).agent.incarnation).toBe(incarnationAt(1_800_000_001_000));
  });

  it('uses the incarnation given', () => {
    expect(setup({ incarnation: 0 }).agent.incarnation).toBe(0);
  });
});
