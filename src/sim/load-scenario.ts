import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { ConfigError, FileOpenError } from '../core/errors.js';
import { parseScenario, type Scenario } from './scenario.js';

/**
 * Reads a scenario file: YAML for `.yaml`/`.yml`, JSON otherwise. Paths inside it (an
 * empirical delay's `trace`) are relative to the file. A file that cannot be read is a
 * FileOpenError, invalid content a ConfigError; either one line naming the file.
 */
export function loadScenario(file: string): Scenario {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new FileOpenError(file, `${file}: cannot read scenario (${code})`, { cause: error });
  }
  let data: unknown;
  const yaml = /\.ya?ml$/i.test(file);
  try {
    data = yaml ? parseYaml(text) : JSON.parse(text);
  } catch (error) {
    const detail = (error instanceof Error ? error.message : String(error)).split('\n')[0];
    throw new ConfigError(`${file}: not valid ${yaml ? 'YAML' : 'JSON'}: ${detail}`, {
      cause: error,
    });
  }
  const dir = path.dirname(file);
  return parseScenario(data, {
    source: file,
    resolvePath: (p) => (path.isAbsolute(p) ? p : path.join(dir, p)),
  });
}
