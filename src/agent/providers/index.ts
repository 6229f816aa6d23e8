/**
 * The built-in payload providers by name, so that options, config files and CLI flags can say
 * `providers: ['load', 'memory']` instead of constructing objects.
 */
import type { Clock } from '../../core/clock.js';
import { ConfigError } from '../../core/errors.js';
import { EventLoopDelayProvider } from './event-loop-delay.js';
import { LoadAverageProvider } from './load-average.js';
import { MemoryProvider } from './memory.js';
import type { PayloadProvider } from './provider.js';
import { UptimeProvider } from './uptime.js';
import { VersionProvider } from './version.js';

export type { PayloadProvider } from './provider.js';
export { CustomMetricsProvider } from './custom-metrics.js';
export { EventLoopDelayProvider, type EventLoopDelayOptions } from './event-loop-delay.js';
export { LoadAverageProvider } from './load-average.js';
export { MemoryProvider } from './memory.js';
export { UptimeProvider } from './uptime.js';
export { VersionProvider, type VersionOptions } from './version.js';

export type ProviderName = 'load' | 'memory' | 'event-loop' | 'uptime' | 'version';

/** Every built-in provider, in payload order; the agent's default. */
export const DEFAULT_PROVIDERS: readonly ProviderName[] = [
  'load',
  'memory',
  'event-loop',
  'uptime',
  'version',
];

/** Creates the built-in provider called `name`; ConfigError for an unknown name. */
export function createProvider(name: ProviderName, components: { clock: Clock }): PayloadProvider {
  switch (name) {
    case 'load':
      return new LoadAverageProvider();
    case 'memory':
      return new MemoryProvider();
    case 'event-loop':
      return new EventLoopDelayProvider();
    case 'uptime':
      return new UptimeProvider(components);
    case 'version':
      return new VersionProvider();
    default:
      throw new ConfigError(
        `unknown payload provider ${JSON.stringify(name)} (have: ${DEFAULT_PROVIDERS.join(', ')})`,
      );
  }
}
