/**
 * A deep copy of a detector's state — numbers, typed arrays, arrays, maps, sets and nested class
 * instances, keeping prototypes — so the QoS replay can branch a crash run off the failure-free
 * run at any point instead of replaying from the start. Functions are shared (they hold no
 * state in a detector). Detectors keep their state in ordinary (TypeScript-private) fields;
 * test/sim/clone-state.test.ts checks every registered detector behaves the same after a copy.
 */
export function cloneState<T>(value: T): T {
  return copy(value, new Map()) as T;
}

function copy(value: unknown, seen: Map<object, unknown>): unknown {
  if (typeof value !== 'object' || value === null) return value;
  const done = seen.get(value);
  if (done !== undefined) return done;
  if (ArrayBuffer.isView(value)) {
    const out =
      value instanceof DataView
        ? new DataView(value.buffer.slice(0))
        : (value as unknown as { slice(): unknown }).slice();
    seen.set(value, out);
    return out;
  }
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    seen.set(value, out);
    for (const item of value) out.push(copy(item, seen));
    return out;
  }
  if (value instanceof Map) {
    const out = new Map();
    seen.set(value, out);
    for (const [k, v] of value) out.set(copy(k, seen), copy(v, seen));
    return out;
  }
  if (value instanceof Set) {
    const out = new Set();
    seen.set(value, out);
    for (const v of value) out.add(copy(v, seen));
    return out;
  }
  const out = Object.create(Object.getPrototypeOf(value) as object | null) as Record<
    PropertyKey,
    unknown
  >;
  seen.set(value, out);
  for (const key of Reflect.ownKeys(value)) {
    out[key] = copy((value as Record<PropertyKey, unknown>)[key], seen);
  }
  return out;
}
