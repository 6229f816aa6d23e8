/**
 * The process's memory: resident set size (what the OS charges it), and the V8 heap in use and
 * reserved. A steadily growing heap is a leak on its way to an out-of-memory crash.
 */
import type { Payload } from '../../protocol/message.js';
import type { PayloadProvider } from './provider.js';

export class MemoryProvider implements PayloadProvider {
  readonly name = 'memory';

  collect(): Payload {
    const usage = process.memoryUsage();
    return {
      rssBytes: usage.rss,
      heapUsedBytes: usage.heapUsed,
      heapTotalBytes: usage.heapTotal,
    };
  }
}
