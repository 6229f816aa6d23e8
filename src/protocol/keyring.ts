/**
 * The keyring: the keys a monitor accepts authenticated messages under, and the one an agent
 * signs with. Several keys are accepted at once, so keys rotate without a restart or a gap: add
 * the new key everywhere, make it the primary on the senders, remove the old one (docs/AGENT.md,
 * "Keys"). Each key has an id (0–255, carried in every authenticated message, so the receiver
 * looks up one key instead of trying each).
 *
 * A key is shared (any node may sign with it) or bound to one node id: a node with keys of its
 * own is accepted only under those, so a leaked agent key cannot speak for other nodes. A scope
 * (the shared keys, or one node's) has at most one primary, which senders sign with; a node
 * without keys of its own signs with the shared primary.
 *
 * Every change checks the whole result first and then applies it at once (ConfigError for a
 * bad one, nothing changed), so a reader never sees half a change.
 */
import { createHash } from 'node:crypto';
import { ConfigError } from '../core/errors.js';
import { MacKey } from './mac-key.js';
import { checkNodeId } from './validate.js';

/** A key as a key file or a caller gives it. */
export interface KeySpec {
  /** 0 … 255: the byte authenticated messages name their key by. */
  id: number;
  /** MIN_SECRET_BYTES … MAX_SECRET_BYTES bytes (32 recommended: `openssl rand -base64 32`). */
  secret: Uint8Array;
  /** Bound to this node id: only that node's messages are accepted under it. @default shared */
  node?: string;
  /** Senders in this key's scope sign with it. @default false */
  primary?: boolean;
}

/** What may be told of a key: never its secret. */
export interface KeyInfo {
  id: number;
  node: string | null;
  primary: boolean;
  /** The first 8 bytes of SHA-256 over a fixed label and the secret, hex: tells keys apart in logs. */
  fingerprint: string;
}

/** A key to sign with. */
export interface SigningKey {
  readonly id: number;
  readonly mac: MacKey;
}

/** What a decoder needs of a keyring: the key a message names, if it may be used. */
export interface KeyLookup {
  /** The key `keyId` for a message of `nodeId`, or undefined (unknown, or not for this node). */
  verifierFor(nodeId: string, keyId: number): MacKey | undefined;
}

/** Largest key id: it travels as one byte. */
export const MAX_KEY_ID = 255;

interface Entry {
  readonly key: SigningKey;
  readonly info: KeyInfo;
}

/** One scope's keys: by id, and the primary's id (null: none). */
interface Scope {
  keys: Map<number, Entry>;
  primary: number | null;
}

/** All keys: the shared scope and one scope per node that has keys of its own. */
interface Rings {
  shared: Scope;
  nodes: Map<string, Scope>;
}

const FINGERPRINT_LABEL = 'heartbeat key fingerprint\n';

export class Keyring implements KeyLookup {
  private rings: Rings = emptyRings();

  /** A keyring holding `specs` (ConfigError for a bad or repeated key, two primaries). */
  constructor(specs: readonly KeySpec[] = []) {
    this.replace(specs);
  }

  /** Keys held, shared and bound. */
  get size(): number {
    let n = this.rings.shared.keys.size;
    for (const scope of this.rings.nodes.values()) n += scope.keys.size;
    return n;
  }

  /** Replaces every key at once (a reload of the key file). */
  replace(specs: readonly KeySpec[]): void {
    const next = emptyRings();
    for (const spec of specs) addTo(next, spec);
    this.rings = next;
  }

  /** Adds a key; with `primary` it becomes its scope's primary. */
  add(spec: KeySpec): void {
    const next = copyRings(this.rings);
    addTo(next, spec);
    this.rings = next;
  }

  /** Makes key `id` of the shared scope (or of `node`) its scope's primary. */
  use(id: number, node?: string): void {
    const next = copyRings(this.rings);
    const scope = existing(next, id, node);
    scope.primary = id;
    this.rings = next;
  }

  /** Removes key `id` of the shared scope (or of `node`); the primary cannot be removed. */
  remove(id: number, node?: string): void {
    const next = copyRings(this.rings);
    const scope = existing(next, id, node);
    if (scope.primary === id) {
      throw new ConfigError(
        `key ${describe(id, node)} is the primary: make another key the primary first`,
      );
    }
    scope.keys.delete(id);
    if (node !== undefined && scope.keys.size === 0) next.nodes.delete(node);
    this.rings = next;
  }

  verifierFor(nodeId: string, keyId: number): MacKey | undefined {
    const rings = this.rings;
    const scope = rings.nodes.size === 0 ? rings.shared : (rings.nodes.get(nodeId) ?? rings.shared);
    return scope.keys.get(keyId)?.key.mac;
  }

  /** The key `nodeId` signs with: its own primary if it has keys, else the shared primary. */
  signingKey(nodeId: string): SigningKey | undefined {
    const rings = this.rings;
    const scope = rings.nodes.get(nodeId) ?? rings.shared;
    return scope.primary === null ? undefined : scope.keys.get(scope.primary)?.key;
  }

  /** Every key, shared first, then by node id, each scope by key id; no secrets. */
  list(): KeyInfo[] {
    const scopes = [
      this.rings.shared,
      ...[...this.rings.nodes.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, s]) => s),
    ];
    return scopes.flatMap((scope) =>
      [...scope.keys.values()]
        .sort((a, b) => a.info.id - b.info.id)
        .map((e) => ({ ...e.info, primary: scope.primary === e.info.id })),
    );
  }
}

function emptyRings(): Rings {
  return { shared: { keys: new Map(), primary: null }, nodes: new Map() };
}

function copyScope(scope: Scope): Scope {
  return { keys: new Map(scope.keys), primary: scope.primary };
}

function copyRings(rings: Rings): Rings {
  const nodes = new Map<string, Scope>();
  for (const [node, scope] of rings.nodes) nodes.set(node, copyScope(scope));
  return { shared: copyScope(rings.shared), nodes };
}

function describe(id: number, node: string | undefined): string {
  return node === undefined ? `${id}` : `${id} of node ${JSON.stringify(node)}`;
}

/** The scope holding key `id` (of `node`), or ConfigError. */
function existing(rings: Rings, id: number, node: string | undefined): Scope {
  const scope = node === undefined ? rings.shared : rings.nodes.get(node);
  if (scope === undefined || !scope.keys.has(id)) {
    throw new ConfigError(`no key ${describe(id, node)} in the keyring`);
  }
  return scope;
}

/** Checks `spec` and adds it to `rings` (which the caller owns). */
function addTo(rings: Rings, spec: KeySpec): void {
  const { id, node } = spec;
  if (!Number.isInteger(id) || id < 0 || id > MAX_KEY_ID) {
    throw new ConfigError(`a key id must be an integer from 0 to ${MAX_KEY_ID}, got ${String(id)}`);
  }
  if (node !== undefined) {
    const problem = checkNodeId(node);
    if (problem !== undefined) {
      throw new ConfigError(`key ${id} is bound to a bad node id: ${problem.message}`);
    }
  }
  let scope = node === undefined ? rings.shared : rings.nodes.get(node);
  if (scope === undefined) {
    scope = { keys: new Map(), primary: null };
    rings.nodes.set(node as string, scope);
  }
  if (scope.keys.has(id)) throw new ConfigError(`key ${describe(id, node)} is given twice`);
  if (spec.primary === true && scope.primary !== null) {
    throw new ConfigError(
      `keys ${describe(scope.primary, node)} and ${id} are both marked primary; one scope has one primary`,
    );
  }
  let mac: MacKey;
  try {
    mac = new MacKey(spec.secret);
  } catch (error) {
    throw new ConfigError(`key ${describe(id, node)}: ${(error as Error).message}`);
  }
  const fingerprint = createHash('sha256')
    .update(FINGERPRINT_LABEL)
    .update(spec.secret)
    .digest('hex')
    .slice(0, 16);
  scope.keys.set(id, {
    key: { id, mac },
    info: { id, node: node ?? null, primary: false, fingerprint },
  });
  if (spec.primary === true) scope.primary = id;
}
