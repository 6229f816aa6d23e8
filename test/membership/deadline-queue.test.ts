import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DeadlineQueue } from '../../src/membership/deadline-queue.js';

describe('DeadlineQueue', () => {
  it('orders slots by deadline and moves them both ways', () => {
    const q = new DeadlineQueue(2);
    q.set(5, 300);
    q.set(1, 100);
    q.set(9, 200);
    expect(q.size).toBe(3);
    expect([q.peekSlot(), q.peekDueMs()]).toEqual([1, 100]);
    q.set(1, 400); // later: sinks
    expect([q.peekSlot(), q.peekDueMs()]).toEqual([9, 200]);
    q.set(5, 50); // earlier: rises
    expect([q.peekSlot(), q.peekDueMs()]).toEqual([5, 50]);
    expect(q.dueMs(1)).toBe(400);
    expect(q.delete(5)).toBe(true);
    expect(q.delete(5)).toBe(false);
    expect(q.has(5)).toBe(false);
    expect(q.dueMs(5)).toBeUndefined();
    expect([q.peekSlot(), q.peekDueMs()]).toEqual([9, 200]);
    q.clear();
    expect(q.size).toBe(0);
    expect(q.peekSlot()).toBe(-1);
    expect(q.peekDueMs()).toBe(Infinity);
    expect(q.has(9)).toBe(false);
  });

  it('setEarlier inserts or moves a deadline earlier, never later', () => {
    const q = new DeadlineQueue(1);
    q.setEarlier(7, 300); // not queued, beyond the capacity: inserted
    q.setEarlier(2, 200);
    expect([q.peekSlot(), q.dueMs(7)]).toEqual([2, 300]);
    q.setEarlier(7, 400); // later: kept at 300
    expect(q.dueMs(7)).toBe(300);
    q.setEarlier(7, 100); // earlier: rises to the head
    expect([q.peekSlot(), q.peekDueMs(), q.size]).toEqual([7, 100, 2]);
  });

  it('behaves like a map with a linear-scan minimum (property)', () => {
    const op = fc.oneof(
      fc.record({
        kind: fc.constant('set' as const),
        slot: fc.nat(40),
        due: fc.integer({ min: 0, max: 50 }),
      }),
      fc.record({ kind: fc.constant('delete' as const), slot: fc.nat(40) }),
      fc.record({ kind: fc.constant('pop' as const) }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 300 }), (ops) => {
        const q = new DeadlineQueue(1);
        const model = new Map<number, number>();
        for (const o of ops) {
          if (o.kind === 'set') {
            q.set(o.slot, o.due);
            model.set(o.slot, o.due);
          } else if (o.kind === 'delete') {
            expect(q.delete(o.slot)).toBe(model.delete(o.slot));
          } else if (model.size > 0) {
            const slot = q.peekSlot();
            const min = Math.min(...model.values());
            expect(model.get(slot)).toBe(min);
            expect(q.peekDueMs()).toBe(min);
            q.delete(slot);
            model.delete(slot);
          }
          expect(q.size).toBe(model.size);
          expect(q.peekDueMs()).toBe(model.size === 0 ? Infinity : Math.min(...model.values()));
        }
        for (const [slot, due] of model) expect(q.dueMs(slot)).toBe(due);
      }),
    );
  });
});
