/** The monitor with its default parts, as the daemon runs it. */
export { createMonitor, type CreateMonitorOptions } from './create-monitor.js';
