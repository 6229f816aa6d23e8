/**
 * The user's own key=value metrics (`--metric region=eu-1`, `queueDepth`): either fixed values,
 * or a function called for every heartbeat for values that change. The agent checks fixed
 * values against the payload limits when it is created, and drops (and reports) bad values a
 * function returns later.
 */
import type { Payload } from '../../protocol/message.js';
import type { PayloadProvider } from './provider.js';

export class CustomMetricsProvider implements PayloadProvider {
  readonly name = 'metrics';

  constructor(private readonly source: Payload | (() => Payload)) {}

  /** The fixed values, when the source is not a function (checked at agent creation). */
  get fixed(): Payload | undefined {
    return typeof this.source === 'function' ? undefined : this.source;
  }

  collect(): Payload {
    return typeof this.source === 'function' ? this.source() : this.source;
  }
}
