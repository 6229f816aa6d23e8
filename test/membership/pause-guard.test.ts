import { describe, expect, it } from 'vitest';
import type { ConvictionsDeferred } from '../../src/membership/types.js';
import { hb, tableWithLog } from './helpers.js';
import { StallingClock } from '../../src/sim/stalling-clock.js';

/** OPTIONS: timeout 3000, deadAfterMs 10 000, pauseToleranceMs 500, pauseGraceMs 2000. */
function setup() {
  const clock = new StallingClock();
  const t = tableWithLog(clock);
  const deferrals: ConvictionsDeferred[] = [];
  t.table.on('convictions:deferred', (e) => deferrals.push(e));
  return { clock, deferrals, ...t };
}

describe('pause guard', () => {
  it('a stall across several deadlines convicts nobody; silent nodes are convicted after the grace', () => {
    const { clock, table, take, deferrals } = setup();
    table.receive(hb('a', { seq: 1 }));
    clock.advance(100);
    table.receive(hb('b', { seq: 1 }));
    clock.advance(100);
    table.receive(hb('c', { seq: 1 }));
    take();
    // Frozen from 200 to 10 200: the deadlines at 3000, 3100 and 3200 pass unseen.
    clock.stall(10_000);
    expect(take()).toEqual([]);
    expect(deferrals).toEqual([{ atMs: 10_200, untilMs: 12_200, reason: 'stall', lateMs: 7200 }]);
    expect(table.counters().stalls).toBe(1);
    // Heartbeats that waited in the socket buffer are read now: a and b were alive all along.
    table.receive(hb('a', { seq: 2 }));
    table.receive(hb('b', { seq: 2 }));
    clock.advance(1999);
    expect(take()).toEqual([]);
    clock.advance(1);
    expect(take()).toEqual(['node:suspect c alive→suspect detector @12200']);
    expect(table.get('c')?.state).toBe('suspect');
    clock.advance(1000);
    expect(take()).toEqual([
      'node:suspect a alive→suspect detector @13200',
      'node:suspect b alive→suspect detector @13200',
    ]);
  });

  it('no conviction at all when every node was heard during the grace', () => {
    const { clock, table, take } = setup();
    for (const id of ['a', 'b', 'c']) table.receive(hb(id));
    take();
    clock.stall(20_000);
    for (const id of ['a', 'b', 'c']) table.receive(hb(id));
    clock.advance(2500);
    expect(take()).toEqual([]);
    expect(table.counts().alive).toBe(3);
  });

  it('a suspect node is not declared dead by a stall past its dead deadline', () => {
    const { clock, table, take } = setup();
    table.receive(hb('a'));
    clock.advance(3000);
    expect(take()).toEqual([
      'node:joined a unknown→unknown first-heartbeat @0',
      'node:alive a unknown→alive first-heartbeat @0',
      'node:suspect a alive→suspect detector @3000',
    ]);
    clock.stall(15_000); // past 13 000
    expect(take()).toEqual([]);
    table.receive(hb('a'));
    expect(take()).toEqual(['node:recovered a suspect→alive heartbeat @18000']);
  });

  it('a stall of no more than the tolerance does not defer', () => {
    const { clock, table, take, deferrals } = setup();
    table.receive(hb('a'));
    take();
    clock.advance(2900);
    clock.stall(600); // the timer due at 3000 runs at 3500: 500 late, not more
    expect(take()).toEqual(['node:suspect a alive→suspect detector @3500']);
    expect(deferrals).toEqual([]);
  });

  it('a stall that crosses no deadline is not seen and needs no deferral', () => {
    const { clock, table, take, deferrals } = setup();
    table.receive(hb('a'));
    take();
    clock.stall(2000);
    table.receive(hb('a'));
    clock.advance(2999);
    expect(take()).toEqual([]);
    expect(deferrals).toEqual([]);
  });

  it('deferConvictions on start holds back never-came-up and suspicion until then', () => {
    const { clock, table, take, deferrals } = setup();
    table.register('r');
    table.receive(hb('a'));
    take();
    table.deferConvictions(40_000, 'start');
    table.deferConvictions(35_000, 'shorter is ignored');
    expect(deferrals).toEqual([{ atMs: 0, untilMs: 40_000, reason: 'start' }]);
    expect(table.convictionsDeferredUntilMs).toBe(40_000);
    clock.advance(39_999);
    expect(take()).toEqual([]);
    expect(clock.pendingTimers()).toBe(1);
    clock.advance(1);
    expect(take()).toEqual([
      'node:suspect a alive→suspect detector @40000',
      'node:dead r unknown→dead never-came-up @40000',
    ]);
  });
});
