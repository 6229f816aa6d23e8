/**
 * The keyring: several keys accepted, one primary per scope to sign with; add, use (promote) and
 * remove at run time; keys bound to one node accepted only for that node.
 */
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/core/errors.js';
import { Keyring, type KeySpec } from '../../src/protocol/keyring.js';

const secret = (fill: number): Buffer => Buffer.alloc(32, fill);
const key = (id: number, more: Partial<KeySpec> = {}): KeySpec => ({
  id,
  secret: secret(id),
  ...more,
});

describe('Keyring', () => {
  it('accepts every key it holds and signs with the primary', () => {
    const ring = new Keyring([key(1, { primary: true }), key(2)]);
    expect(ring.size).toBe(2);
    expect(ring.verifierFor('web-1', 1)).toBeDefined();
    expect(ring.verifierFor('web-1', 2)).toBeDefined();
    expect(ring.verifierFor('web-1', 3)).toBeUndefined();
    expect(ring.signingKey('web-1')?.id).toBe(1);
  });

  it('rotates: add the new key, use it, remove the old one', () => {
    const ring = new Keyring([key(1, { primary: true })]);
    ring.add(key(2));
    expect(ring.signingKey('a')?.id).toBe(1);
    ring.use(2);
    expect(ring.signingKey('a')?.id).toBe(2);
    ring.remove(1);
    expect(ring.verifierFor('a', 1)).toBeUndefined();
    expect(ring.list().map((k) => [k.id, k.primary])).toEqual([[2, true]]);
  });

  it('refuses to remove the primary, unknown keys, repeated ids and two primaries', () => {
    const ring = new Keyring([key(1, { primary: true })]);
    expect(() => ring.remove(1)).toThrow(/is the primary/);
    expect(() => ring.remove(9)).toThrow(/no key 9/);
    expect(() => ring.use(9)).toThrow(ConfigError);
    expect(() => ring.add(key(1))).toThrow(/given twice/);
    expect(() => ring.add(key(2, { primary: true }))).toThrow(/both marked primary/);
    expect(() => new Keyring([key(256)])).toThrow(/0 to 255/);
    expect(() => new Keyring([{ id: 1, secret: Buffer.alloc(8) }])).toThrow(/key 1: .*16 to 64/);
    expect(() => new Keyring([key(1, { node: 'two words' })])).toThrow(/bad node id/);
    // A refused change changes nothing.
    expect(ring.list().map((k) => k.id)).toEqual([1]);
  });

  it('binds keys to nodes: a node with keys of its own is accepted only under them', () => {
    const ring = new Keyring([
      key(1, { primary: true }),
      key(1, { node: 'db-1', secret: secret(0x71), primary: true }),
      key(2, { node: 'db-2', secret: secret(0x72) }),
    ]);
    // db-1's key 1 is its own, not the shared key 1.
    expect(ring.verifierFor('db-1', 1)).not.toBe(ring.verifierFor('web-1', 1));
    expect(ring.verifierFor('db-2', 1)).toBeUndefined();
    expect(ring.verifierFor('db-2', 2)).toBeDefined();
    expect(ring.verifierFor('web-1', 2)).toBeUndefined();
    expect(ring.signingKey('db-1')?.mac).toBe(ring.verifierFor('db-1', 1));
    expect(ring.signingKey('web-1')?.mac).toBe(ring.verifierFor('web-1', 1));
    // db-2 has keys but no primary of its own: it has nothing to sign with.
    expect(ring.signingKey('db-2')).toBeUndefined();
    ring.remove(2, 'db-2');
    expect(ring.verifierFor('db-2', 1)).toBe(ring.verifierFor('web-1', 1));
  });

  it('replaces every key at once, or nothing when one is bad', () => {
    const ring = new Keyring([key(1, { primary: true })]);
    expect(() => ring.replace([key(5, { primary: true }), key(5)])).toThrow(ConfigError);
    expect(ring.list().map((k) => k.id)).toEqual([1]);
    ring.replace([key(5, { primary: true })]);
    expect(ring.list().map((k) => k.id)).toEqual([5]);
  });

  it('lists keys with fingerprints, never secrets', () => {
    const ring = new Keyring([key(2), key(1, { primary: true }), key(3, { node: 'n' })]);
    const listed = ring.list();
    expect(listed.map((k) => [k.id, k.node, k.primary])).toEqual([
      [1, null, true],
      [2, null, false],
      [3, 'n', false],
    ]);
    expect(listed[0]?.fingerprint).toMatch(/^[0-9a-f]{16}$/);
    expect(new Keyring([key(1)]).list()[0]?.fingerprint).toBe(listed[0]?.fingerprint);
    expect(JSON.stringify(listed)).not.toContain(secret(1).toString('hex').slice(0, 8));
  });
});
