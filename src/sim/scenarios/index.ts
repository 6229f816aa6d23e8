/**
 * The standard synthetic scenarios (lan, wan, lossy-wifi, gc-pauses, heavy-tail): plain data, as
 * a user would write them in a scenario file, each six hours of one sender at 1 Hz. The lab
 * compares detectors on these next to the real traces.
 */
import { parseScenario, type Scenario } from '../scenario.js';
import gcPauses from './gc-pauses.js';
import heavyTail from './heavy-tail.js';
import lan from './lan.js';
import lossyWifi from './lossy-wifi.js';
import wan from './wan.js';

/** The scenario files' contents, by name. */
export const STANDARD_SCENARIO_DATA = {
  lan,
  wan,
  'lossy-wifi': lossyWifi,
  'gc-pauses': gcPauses,
  'heavy-tail': heavyTail,
} as const;

export type StandardScenarioName = keyof typeof STANDARD_SCENARIO_DATA;

export const STANDARD_SCENARIO_NAMES = Object.keys(
  STANDARD_SCENARIO_DATA,
) as StandardScenarioName[];

/** One standard scenario, validated (a fresh object each call). */
export function standardScenario(name: StandardScenarioName): Scenario {
  return parseScenario(structuredClone(STANDARD_SCENARIO_DATA[name]), {
    source: `scenarios/${name}`,
  });
}

/** All standard scenarios, validated, in the order above. */
export function standardScenarios(): Scenario[] {
  return STANDARD_SCENARIO_NAMES.map(standardScenario);
}
