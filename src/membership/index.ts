/** The membership layer (`heartbeat/membership`): the node table, its lifecycle types and status lines. */
export * from './node-table.js';
export { describeStatus, formatDuration, type StatusInput } from './describe-status.js';
export { defaultDetectorFactory, type DetectorFactory } from './detector-factory.js';
export * from './types.js';
