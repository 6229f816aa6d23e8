/**
 * The layer table in eslint.config.js covers the tree: every folder of src/ has a row, so no
 * folder escapes the lint rule, and the real imports (dynamic import() included, which the lint
 * rule does not see) reach only layers the table allows.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { SRC, importGraph } from './import-graph.js';

interface LayerRow {
  uses?: string[];
  types?: string[];
  only?: Record<string, string[]>;
}

const configUrl = pathToFileURL(path.resolve(SRC, '../eslint.config.js')).href;
const { LAYERS } = (await import(configUrl)) as { LAYERS: Record<string, LayerRow> };

describe('layer table', () => {
  it('has a row for every folder of src/', () => {
    const folders = readdirSync(SRC, { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name)
      .sort();
    expect(Object.keys(LAYERS).sort()).toEqual(folders);
  });

  it('allows every import src/ makes between layers (dynamic ones too)', () => {
    const refused: string[] = [];
    for (const [file, targets] of importGraph()) {
      const layer = file.split('/')[0]!;
      const row = LAYERS[layer];
      if (row === undefined) continue; // the package root and the internal barrel
      for (const target of targets) {
        const [other, ...rest] = target.split('/');
        if (other === layer || rest.length === 0) continue;
        const reached = row.uses?.includes(other!) || row.types?.includes(other!);
        const specifier = rest.join('/').replace(/\.ts$/, '.js'); // as the import names it
        const named = row.only?.[other!]?.some((prefix) => specifier.startsWith(prefix));
        if (!reached && !named) refused.push(`${file} → ${target}`);
      }
    }
    expect(refused).toEqual([]);
  });
});
