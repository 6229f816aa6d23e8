/**
 * Packet loss in scenarios: none, independent (each message lost with a fixed probability), or
 * bursty by the Gilbert–Elliott model — a two-state Markov chain (good, bad) stepped once per
 * message, with its own loss probability in each state, which is how wireless and congested
 * links lose packets: in runs, not one at a time.
 */
import type { Rng } from '../core/rng.js';
import type { Fields } from './fields.js';

export type LossSpec =
  | { kind: 'none' }
  | { kind: 'independent'; probability: number }
  | {
      kind: 'gilbert-elliott';
      /** Chance per message of moving from the good state to the bad one. */
      goodToBad: number;
      /** Chance per message of moving from the bad state back to good (mean burst = 1/this). */
      badToGood: number;
      /** Loss probability in the good state. @default 0 */
      lossInGood?: number;
      /** Loss probability in the bad state. @default 1 */
      lossInBad?: number;
    };

/** Decides, message by message, whether each is lost. Stateful (Gilbert–Elliott). */
export type LossProcess = (rng: Rng) => boolean;

export function createLossProcess(spec: LossSpec): LossProcess {
  switch (spec.kind) {
    case 'none':
      return () => false;
    case 'independent':
      return (rng) => rng.next() < spec.probability;
    case 'gilbert-elliott': {
      let bad = false;
      const inGood = spec.lossInGood ?? 0;
      const inBad = spec.lossInBad ?? 1;
      return (rng) => {
        bad = bad ? rng.next() >= spec.badToGood : rng.next() < spec.goodToBad;
        return rng.next() < (bad ? inBad : inGood);
      };
    }
  }
}

/** Long-run loss rate of a spec (for documentation and checks). */
export function meanLossRate(spec: LossSpec): number {
  switch (spec.kind) {
    case 'none':
      return 0;
    case 'independent':
      return spec.probability;
    case 'gilbert-elliott': {
      const pBad = spec.goodToBad / (spec.goodToBad + spec.badToGood);
      return (1 - pBad) * (spec.lossInGood ?? 0) + pBad * (spec.lossInBad ?? 1);
    }
  }
}

export function parseLoss(value: unknown, path: string, f: Fields): LossSpec {
  if (value === undefined) return { kind: 'none' };
  const o = f.object(value, path);
  switch (o.kind) {
    case 'none':
      f.onlyKeys(o, path, ['kind']);
      return { kind: 'none' };
    case 'independent':
      f.onlyKeys(o, path, ['kind', 'probability']);
      return { kind: 'independent', probability: f.number(o, 'probability', path, 'probability') };
    case 'gilbert-elliott': {
      f.onlyKeys(o, path, ['kind', 'goodToBad', 'badToGood', 'lossInGood', 'lossInBad']);
      const spec: LossSpec = {
        kind: 'gilbert-elliott',
        goodToBad: f.number(o, 'goodToBad', path, 'probability'),
        badToGood: f.number(o, 'badToGood', path, 'probability'),
      };
      const lossInGood = f.optionalNumber(o, 'lossInGood', path, 'probability');
      const lossInBad = f.optionalNumber(o, 'lossInBad', path, 'probability');
      if (lossInGood !== undefined) spec.lossInGood = lossInGood;
      if (lossInBad !== undefined) spec.lossInBad = lossInBad;
      if (spec.goodToBad + spec.badToGood === 0) {
        f.fail(path, 'needs goodToBad + badToGood > 0');
      }
      return spec;
    }
    default:
      return f.fail(`${path}.kind`, 'must be one of none, independent, gilbert-elliott', o.kind);
  }
}
