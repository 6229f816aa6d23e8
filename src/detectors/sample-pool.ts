/**
 * Storage for the windowed detectors' numbers (their sample windows and their own float64 fields)
 * in large shared slabs, so a detector owns no ArrayBuffer and no boxed numbers: a block is a byte
 * offset into a `Slab` (slab-window.ts: float64 and float32 views of one ArrayBuffer). A typed
 * array of its own costs a detector ~190 bytes of V8 bookkeeping (view, ArrayBuffer,
 * backing-store record) on top of its data, and every float64
 * field of an object is a 16-byte heap box; at a million nodes those are the larger part of a
 * detector. docs/DETECTORS.md has the figures.
 *
 * Blocks are handed out from the current slab and come back through `release` to a free list per
 * block size (kept inside the freed blocks themselves, so the lists cost nothing), which the next
 * allocation of that size takes first. The pool therefore grows to the peak of live blocks, not
 * with churn: nodes that leave and others that join reuse the same bytes. Slabs are never given
 * back; a pool lives as long as its owner (the node table makes one per table).
 *
 * Ownership is the caller's: a block must be released exactly once, and not used afterwards.
 * Detectors do this in their optional `dispose()`, which the node table calls when it drops one.
 */
import { ConfigError, HeartbeatError, LimitError } from '../core/errors.js';
import { objectBytes, TYPED_ARRAY_HEADER_BYTES } from './footprint.js';
import { newSlab, type Slab } from './slab-window.js';

/** Options of a sample pool. */
export interface SamplePoolOptions {
  /**
   * Bytes per slab, a multiple of 8.
   * @default 1 MiB — a million default detectors fill ~160 slabs; the unused tail of the last one
   * is under a byte per node, and one allocation per ~6,000 detectors is negligible.
   */
  slabBytes?: number;
}

/** Where a block lives: its slab and the byte offset of the block in it (a multiple of 8). */
export interface PoolBlock {
  slab: Slab;
  at: number;
}

/** The default slab size (see `SamplePoolOptions.slabBytes`). */
export const DEFAULT_SLAB_BYTES = 1 << 20;

/** Marks the end of a free list (stored where a freed block keeps its successor's address). */
const NONE = -1;

/** Block sizes are rounded up to a multiple of 8 so float64 fields stay aligned. */
export function blockBytes(bytes: number): number {
  return Math.ceil(bytes / 8) * 8;
}

export class SamplePool {
  readonly slabBytes: number;
  private readonly slabs: Slab[] = [];
  /** Index of each slab, to turn a released (slab, at) back into an address. */
  private readonly slabIndex = new Map<Slab, number>();
  /** Bytes used in the last slab. */
  private tail: number;
  /** First free block of each size (an address, slab × slabBytes + offset). */
  private readonly freeHeads = new Map<number, number>();
  private live = 0;
  private liveBytes = 0;
  /** Constants shared by detectors of the same spec drawing from this pool (see `sharedParams`). */
  readonly params = new Map<string, unknown>();

  constructor(init: SamplePoolOptions = {}) {
    const slabBytes = init.slabBytes ?? DEFAULT_SLAB_BYTES;
    if (!(Number.isSafeInteger(slabBytes) && slabBytes >= 8 && slabBytes % 8 === 0)) {
      throw new ConfigError(`slabBytes must be a positive multiple of 8, got ${slabBytes}`);
    }
    this.slabBytes = slabBytes;
    this.tail = slabBytes;
  }

  /**
   * A block of at least `bytes` bytes (rounded up to a multiple of 8): a released block of that
   * size if there is one, else the next bytes of the current slab, else a new slab. Its contents
   * are whatever was there before; the caller initialises every byte it reads. Throws LimitError
   * for a block larger than a slab.
   */
  allocate(bytes: number): PoolBlock {
    const size = blockBytes(bytes);
    if (!(size > 0 && size <= this.slabBytes)) {
      throw new LimitError('slabBytes', `a block of ${bytes} bytes does not fit a slab`);
    }
    this.live++;
    this.liveBytes += size;
    const free = this.freeHeads.get(size) ?? NONE;
    if (free !== NONE) {
      const slab = this.slabs[Math.floor(free / this.slabBytes)] as Slab;
      const at = free % this.slabBytes;
      this.freeHeads.set(size, slab.f64[at >> 3] as number);
      return { slab, at };
    }
    if (this.tail + size > this.slabBytes) {
      const slab = newSlab(this.slabBytes);
      this.slabIndex.set(slab, this.slabs.length);
      this.slabs.push(slab);
      this.tail = 0;
    }
    const at = this.tail;
    this.tail += size;
    return { slab: this.slabs[this.slabs.length - 1] as Slab, at };
  }

  /** Returns a block of `bytes` (as allocated) to the free list of its size. */
  release(slab: Slab, at: number, bytes: number): void {
    const index = this.slabIndex.get(slab);
    if (index === undefined) {
      throw new HeartbeatError('foreign-block', 'the block is not from this pool');
    }
    const size = blockBytes(bytes);
    slab.f64[at >> 3] = this.freeHeads.get(size) ?? NONE;
    this.freeHeads.set(size, index * this.slabBytes + at);
    this.live--;
    this.liveBytes -= size;
  }

  /** Blocks allocated and not released. */
  get liveBlocks(): number {
    return this.live;
  }

  /** Bytes of the live blocks (sizes rounded to 8). */
  get usedBytes(): number {
    return this.liveBytes;
  }

  /** Slabs allocated so far. */
  get slabCount(): number {
    return this.slabs.length;
  }

  /** Bytes reserved by the slabs, used or not. */
  get reservedBytes(): number {
    return this.slabs.length * this.slabBytes;
  }
}

/** Most distinct parameter sets kept per pool (or for detectors without one); beyond, not shared. */
export const MAX_SHARED_PARAMS = 256;

const privateParams = new Map<string, unknown>();

/**
 * One frozen object of per-spec constants (resolved options, derived figures, the pool) for every
 * detector built with the same `key`, instead of one per node. `make` runs on the first request
 * for a key; after MAX_SHARED_PARAMS distinct keys, objects are made but not kept.
 */
export function sharedParams<T extends object>(
  pool: SamplePool | undefined,
  key: string,
  make: () => T,
): Readonly<T> {
  const cache = pool?.params ?? privateParams;
  const known = cache.get(key) as Readonly<T> | undefined;
  if (known !== undefined) return known;
  const made = Object.freeze(make());
  if (cache.size < MAX_SHARED_PARAMS) cache.set(key, made);
  return made;
}

/**
 * Bytes of a slab of its own besides its data, by the model in footprint.ts: the slab object and
 * two typed arrays (the second view shares the first one's ArrayBuffer, counted anyway).
 */
export const OWN_SLAB_BYTES = objectBytes(2) + 2 * TYPED_ARRAY_HEADER_BYTES;

/** A block from `pool`, or a small slab of its own without one (freed by the GC). */
export function takeBlock(pool: SamplePool | undefined, bytes: number): PoolBlock {
  return pool !== undefined ? pool.allocate(bytes) : { slab: newSlab(blockBytes(bytes)), at: 0 };
}
