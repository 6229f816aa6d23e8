import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import type { Message } from '../../src/protocol/message.js';
import { MemoryNetwork } from '../../src/transport/memory-network.js';

const hb = (seq: number): Message => ({ type: 'heartbeat', nodeId: 'a', seq });

describe('MemoryNetwork', () => {
  it('delivers after each message’s delay, in time order, through the clock', () => {
    const clock = new ManualClock();
    const delays = [50, 10, 30];
    const net = new MemoryNetwork({ clock }, { delayMs: () => delays.shift() ?? 0 });
    const got: string[] = [];
    net.listen('m', (m, from) => got.push(`${m.seq}@${clock.monotonicMs()} from ${from.address}`));
    expect(net.send('a', 'm', hb(1))).toBe('in-flight');
    net.send('a', 'm', hb(2));
    net.send('a', 'm', hb(3));
    clock.advance(20);
    expect(got).toEqual(['2@10 from a']);
    clock.advance(100);
    expect(got).toEqual(['2@10 from a', '3@30 from a', '1@50 from a']);
    expect(net.stats()).toMatchObject({ sent: 3, delivered: 3, lost: 0 });
  });

  it('loses what the loss rule says, and counts it', () => {
    const clock = new ManualClock();
    const net = new MemoryNetwork({ clock }, { lose: (_f, _t, m) => (m.seq ?? 0) % 2 === 0 });
    const got: number[] = [];
    net.listen('m', (m) => got.push(m.seq ?? -1));
    for (let s = 1; s <= 5; s++) net.send('a', 'm', hb(s));
    clock.runAll();
    expect(got).toEqual([1, 3, 5]);
    expect(net.stats()).toMatchObject({ sent: 5, delivered: 3, lost: 2 });
  });

  it('drops messages across a partition at send time; in-flight ones still arrive; heal restores', () => {
    const clock = new ManualClock();
    const net = new MemoryNetwork({ clock }, { delayMs: () => 100 });
    const got: number[] = [];
    net.listen('m', (m) => got.push(m.seq ?? -1));
    net.send('a', 'm', hb(1));
    const heal = net.partition(['a'], ['m']);
    expect(net.isPartitioned('m', 'a')).toBe(true);
    expect(net.send('a', 'm', hb(2))).toBe('partitioned');
    expect(net.send('b', 'm', hb(3))).toBe('in-flight');
    clock.advance(100);
    expect(got).toEqual([1, 3]);
    heal();
    net.send('a', 'm', hb(4));
    net.partition(['a'], ['m']);
    net.heal();
    net.send('a', 'm', hb(5));
    clock.advance(100);
    expect(got).toEqual([1, 3, 4, 5]);
    expect(net.stats().partitioned).toBe(1);
  });

  it('counts messages to nobody, and survives a throwing listener', () => {
    const clock = new ManualClock();
    const errors: unknown[] = [];
    const net = new MemoryNetwork({ clock }, { onListenerError: (e) => errors.push(e) });
    expect(net.send('a', 'nowhere', hb(1))).toBe('no-route');
    const stop = net.listen('m', () => {
      throw new Error('boom');
    });
    net.send('a', 'm', hb(2));
    net.send('a', 'm', hb(3));
    stop();
    clock.runAll();
    expect(net.stats()).toMatchObject({ undeliverable: 3, listenerErrors: 0 });
    net.listen('m', () => {
      throw new Error('boom');
    });
    net.send('a', 'm', hb(4));
    expect(() => clock.runAll()).not.toThrow();
    expect(errors).toHaveLength(1);
    expect(net.stats().listenerErrors).toBe(1);
  });

  it('delivers in the same order on any clock; a listener may send again while a message is delivered', () => {
    // On a ManualClock in-flight messages are pooled records; a reply sent from the listener
    // must not disturb the record being delivered.
    const clock = new ManualClock();
    const delays = [5, 5, 1, 0, 0, 0];
    const net = new MemoryNetwork({ clock }, { delayMs: () => delays.shift() ?? 0 });
    const got: string[] = [];
    net.listen('m', (m, from) => {
      got.push(`m:${m.seq}@${clock.monotonicMs()} from ${from.address}`);
      net.send('m', 'a', hb((m.seq ?? 0) * 10));
    });
    net.listen('a', (m) => got.push(`a:${m.seq}@${clock.monotonicMs()}`));
    const t = clock.setTimeout(() => got.push(`timer@${clock.monotonicMs()}`), 5);
    net.send('a', 'm', hb(1));
    net.send('a', 'm', hb(2));
    net.send('b', 'm', hb(3));
    expect(t).toBeDefined();
    clock.runAll();
    expect(got).toEqual([
      'm:3@1 from b',
      'a:30@1',
      'timer@5',
      'm:1@5 from a',
      'm:2@5 from a', // in flight since 0: before the reply to 1, set at 5
      'a:10@5',
      'a:20@5',
    ]);
    expect(net.stats()).toMatchObject({ sent: 6, delivered: 6 });
  });
});
