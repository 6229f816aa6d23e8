import { afterEach, describe, expect, it, vi } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { TypedEmitter, rethrowLater } from '../../src/core/emitter.js';
import { NodeTable } from '../../src/membership/node-table.js';

type Events = { ping: number };

/** queueMicrotask replaced by a queue the test runs itself, to see what is rethrown. */
function captureMicrotasks(): (() => void)[] {
  const tasks: (() => void)[] = [];
  vi.stubGlobal('queueMicrotask', (task: () => void) => tasks.push(task));
  return tasks;
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('TypedEmitter', () => {
  it('gives a throwing listener’s error to onListenerError and calls the other listeners', () => {
    const errors: unknown[] = [];
    const emitter = new TypedEmitter<Events>((e) => errors.push(e));
    const seen: number[] = [];
    const boom = new Error('boom');
    emitter.on('ping', () => {
      throw boom;
    });
    emitter.on('ping', (n) => seen.push(n));
    emitter.emit('ping', 1);
    expect(seen).toEqual([1]);
    expect(errors).toEqual([boom]);
  });

  it('by default rethrows a listener’s error on a microtask, after every listener ran', () => {
    const tasks = captureMicrotasks();
    const emitter = new TypedEmitter<Events>();
    const seen: number[] = [];
    const boom = new Error('boom');
    emitter.on('ping', () => {
      throw boom;
    });
    emitter.on('ping', (n) => seen.push(n));
    expect(() => emitter.emit('ping', 2)).not.toThrow();
    expect(seen).toEqual([2]);
    expect(tasks).toHaveLength(1);
    expect(() => tasks[0]?.()).toThrow(boom);
  });

  it('rethrowLater throws the very error it was given, later', () => {
    const tasks = captureMicrotasks();
    const error = { not: 'an Error' };
    rethrowLater(error);
    let thrown: unknown;
    try {
      tasks[0]?.();
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBe(error);
  });
});

describe('NodeTable listener errors', () => {
  it('are counted, and without onListenerError rethrown on a microtask', () => {
    const tasks = captureMicrotasks();
    const table = new NodeTable({ clock: new ManualClock() });
    const boom = new Error('listener bug');
    table.on('node:joined', () => {
      throw boom;
    });
    expect(table.receive({ type: 'heartbeat', nodeId: 'a' })).toBe('accepted');
    expect(table.get('a')?.state).toBe('alive');
    expect(table.counters().listenerErrors).toBe(1);
    expect(tasks).toHaveLength(1);
    expect(() => tasks[0]?.()).toThrow(boom);
    table.stop();
  });
});
