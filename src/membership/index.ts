/** The membership layer: node table, lifecycle, deadline queue and status lines. */
export {
  NodeTable,
  type NodeTableComponents,
  type NodeTableCounters,
  type NodeTableOptions,
  type ReceiveOutcome,
} from './node-table.js';
export { DeadlineQueue } from './deadline-queue.js';
export { describeStatus, formatDuration, type StatusInput } from './describe-status.js';
export {
  classifyArrival,
  type ArrivalHistory,
  type ArrivalKind,
  type ArrivalVerdict,
} from './arrival.js';
export { defaultDetectorFactory, type DetectorFactory } from './detector-factory.js';
export * from './types.js';
