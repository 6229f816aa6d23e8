/**
 * A payload provider adds a few named values to every heartbeat (load, memory, …), so that a
 * monitor can show why a node is slow before it fails. Providers are called once per heartbeat,
 * on the agent's timer: they must be cheap and must not block.
 */
import type { Payload } from '../../protocol/message.js';

export interface PayloadProvider {
  /** Short name, used in error events and docs (`memory`, `event-loop`). */
  readonly name: string;
  /** Called when the agent starts, before the first heartbeat (e.g. to enable a histogram). */
  start?(): void;
  /** The values for the next heartbeat. A throw is caught, counted and reported by the agent. */
  collect(): Payload;
  /** Called when the agent stops; releases whatever `start` acquired. */
  stop?(): void;
}
