/** The monitor's configuration: types, presets and the layered loader. */
export type {
  ActionConfig,
  MonitorConfig,
  NodeGroup,
  PauseGuardConfig,
  PresetName,
} from './types.js';
export { DEFAULT_PRESET, DEFAULTS, PRESET_NAMES, PRESETS, type PresetValues } from './presets.js';
export { ENV_VARIABLES } from './env.js';
export { loadMonitorConfig, type LoadInput, type MonitorConfigInput } from './load.js';
