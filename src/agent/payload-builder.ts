/**
 * Builds each heartbeat's payload from the providers, within the limits every monitor enforces
 * (MAX_PAYLOAD_* in core/limits.ts): a payload a monitor would reject costs the whole heartbeat,
 * so entries that do not fit are left out and reported instead. Providers are merged in order;
 * a later provider's key replaces an earlier one's (custom metrics come last and win).
 */
import { MAX_PAYLOAD_BYTES, MAX_PAYLOAD_ENTRIES } from '../core/limits.js';
import type { Payload, PayloadValue } from '../protocol/message.js';
import { checkPayloadKey, payloadValueBytes, utf8Length } from '../protocol/validate.js';
import type { PayloadProvider } from './providers/provider.js';

/** Something left out of a payload, and why. */
export interface PayloadProblem {
  /** The provider that produced the value (or threw). */
  provider: string;
  message: string;
  cause?: unknown;
}

export interface BuiltPayload {
  /** The payload to send, or undefined when there is nothing to say. */
  payload: Payload | undefined;
  problems: PayloadProblem[];
}

/**
 * Checks `entries` (key, value, provider) in order and keeps those that are valid and fit.
 * Pure: the agent calls it per heartbeat, and again at creation to check fixed metrics.
 */
export function fitPayload(
  entries: Iterable<[key: string, value: PayloadValue, provider: string]>,
): BuiltPayload {
  const problems: PayloadProblem[] = [];
  const payload: Payload = {};
  let count = 0;
  let bytes = 1; // the entry count
  for (const [key, value, provider] of entries) {
    const keyProblem = checkPayloadKey(key);
    if (keyProblem !== undefined) {
      problems.push({ provider, message: `${JSON.stringify(key)}: ${keyProblem.message}` });
      continue;
    }
    const valueBytes = payloadValueBytes(value);
    if (typeof valueBytes !== 'number') {
      problems.push({ provider, message: `${key}: ${valueBytes.message}` });
      continue;
    }
    const entryBytes = 1 + utf8Length(key) + valueBytes;
    if (count + 1 > MAX_PAYLOAD_ENTRIES) {
      problems.push({ provider, message: `${key}: left out, over ${MAX_PAYLOAD_ENTRIES} entries` });
      continue;
    }
    if (bytes + entryBytes > MAX_PAYLOAD_BYTES) {
      problems.push({ provider, message: `${key}: left out, over ${MAX_PAYLOAD_BYTES} bytes` });
      continue;
    }
    payload[key] = value;
    count++;
    bytes += entryBytes;
  }
  return { payload: count === 0 ? undefined : payload, problems };
}

export class PayloadBuilder {
  constructor(private readonly providers: readonly PayloadProvider[]) {}

  start(): void {
    for (const provider of this.providers) provider.start?.();
  }

  stop(): void {
    for (const provider of this.providers) {
      try {
        provider.stop?.();
      } catch {
        // A provider that fails to stop has nothing left to report; stopping goes on.
      }
    }
  }

  /** Collects from every provider; a provider that throws is reported and skipped. */
  build(): BuiltPayload {
    const merged = new Map<string, [PayloadValue, string]>();
    const problems: PayloadProblem[] = [];
    for (const provider of this.providers) {
      let values: Payload;
      try {
        values = provider.collect();
      } catch (error) {
        const text = error instanceof Error ? error.message : String(error);
        problems.push({
          provider: provider.name,
          message: `collect failed: ${text}`,
          cause: error,
        });
        continue;
      }
      if (typeof values !== 'object' || values === null) {
        problems.push({ provider: provider.name, message: 'collect returned no object' });
        continue;
      }
      // Bound the work for a provider that returns an enormous object: every entry past the
      // limit would be left out anyway.
      let seen = 0;
      for (const key in values) {
        if (!Object.hasOwn(values, key)) continue;
        if (++seen > MAX_PAYLOAD_ENTRIES) {
          problems.push({
            provider: provider.name,
            message: `gave more than ${MAX_PAYLOAD_ENTRIES} entries; the rest are left out`,
          });
          break;
        }
        merged.delete(key);
        merged.set(key, [values[key] as PayloadValue, provider.name]);
      }
    }
    const entries: [string, PayloadValue, string][] = [];
    for (const [key, [value, provider]] of merged) entries.push([key, value, provider]);
    const fitted = fitPayload(entries);
    return { payload: fitted.payload, problems: [...problems, ...fitted.problems] };
  }
}
