/** `heartbeat lab …` and `heartbeat tune …`: the detection-quality lab (see docs/LAB.md). */
import type { Command } from '../command.js';
import { run as runLab } from './lab.js';
import { run as runTune } from './tune.js';

export const labCommand: Command = {
  name: 'lab',
  summary: 'compare detectors on traces and scenarios (detection time vs mistakes)',
  run: (argv, io) => runLab(argv, io),
};

export const tuneCommand: Command = {
  name: 'tune',
  summary: 'recommend a detector and its parameters for a recorded trace or ping log',
  run: (argv, io) => runTune(argv, io),
};
