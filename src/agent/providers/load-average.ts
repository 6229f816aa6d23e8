/**
 * The system's 1, 5 and 15 minute load averages (`os.loadavg()`), and the number of CPUs to read
 * them against: a load of 8 is idle on 32 cores and saturated on 2. Zeros on Windows, which has
 * no load average.
 */
import os from 'node:os';
import type { Payload } from '../../protocol/message.js';
import type { PayloadProvider } from './provider.js';

/** Two decimals are all a load average means; fewer digits keep the JSON form short. */
const round2 = (x: number): number => Math.round(x * 100) / 100;

export class LoadAverageProvider implements PayloadProvider {
  readonly name = 'load';
  /** CPUs do not change while a process runs; read once. */
  private readonly cpuCount = os.availableParallelism();

  collect(): Payload {
    const [load1 = 0, load5 = 0, load15 = 0] = os.loadavg();
    return {
      load1: round2(load1),
      load5: round2(load5),
      load15: round2(load15),
      cpuCount: this.cpuCount,
    };
  }
}
