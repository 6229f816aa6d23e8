import { SeededRng } from '../core/rng.js';

/**
 * Independent random streams derived from one seed: each node's sender and link, and the
 * monitor, draw from their own generator. A node's heartbeats then come out the same whatever
 * else the run contains (other nodes, event interleaving), so `scenarioToTrace` and the full
 * simulator agree heartbeat for heartbeat, and adding a node does not reshuffle the others.
 */
export type StreamName = 'sender' | 'link' | 'monitor' | 'node';

const STREAM_CODE: Record<StreamName, number> = { sender: 1, link: 2, monitor: 3, node: 4 };

/** A generator for one stream of one node (`node` is ignored for the monitor's stream). */
export function streamRng(seed: number, stream: StreamName, node = 0): SeededRng {
  return new SeededRng(mix(mix(mix(seed >>> 0) ^ STREAM_CODE[stream]) ^ (node >>> 0)));
}

/** A 32-bit finaliser (murmur3's fmix32): nearby inputs give unrelated outputs. */
function mix(x: number): number {
  let h = x >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
