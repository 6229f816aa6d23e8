/**
 * `import … from 'heartbeat'` (the built root, resolved through package.json's exports as a user
 * resolves it) loads no native module and none of the heavy dependencies: a child process
 * imports the entry and reports what it loaded — every shared object the process has mapped
 * (process.report, so a native addon cannot hide) and every CommonJS module in the require cache
 * (better-sqlite3, prom-client, yaml and resvg are all CommonJS). The same probe on
 * heartbeat/daemon and on resvg shows that it sees them when they are loaded.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

const PROBE = `
import { createRequire } from 'node:module';
const exported = await import(process.argv[1]);
const cjs = Object.keys(createRequire(import.meta.url).cache);
const shared = process.report.getReport().sharedObjects;
process.stdout.write(JSON.stringify({ names: Object.keys(exported), cjs, shared }));
`;

interface Loaded {
  names: string[];
  /** Files of the packages in node_modules that were loaded, as `package/file`. */
  packages: string[];
  /** Native addons (.node files) mapped into the process. */
  native: string[];
}

/** What importing `specifier` from the package root loads, in a fresh node process. */
function load(specifier: string): Loaded {
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', PROBE, specifier], {
    cwd: root,
    encoding: 'utf8',
  });
  if (run.status !== 0) throw new Error(`importing ${specifier} failed:\n${run.stderr}`);
  const out = JSON.parse(run.stdout) as { names: string[]; cjs: string[]; shared: string[] };
  return {
    names: out.names,
    packages: out.cjs
      .filter((file) => file.includes(`${path.sep}node_modules${path.sep}`))
      .map((file) => file.split(`${path.sep}node_modules${path.sep}`).pop()!),
    native: out.shared.filter((file) => file.endsWith('.node')),
  };
}

describe('the package root loads light', () => {
  it("import { NodeTable } from 'heartbeat' loads no native module and no dependency", () => {
    const loaded = load('heartbeat');
    expect(loaded.names).toContain('NodeTable');
    expect(loaded.native).toEqual([]);
    expect(loaded.packages).toEqual([]);
  });

  it('heartbeat/daemon loads SQLite, prom-client and yaml: the probe sees them', () => {
    const loaded = load('heartbeat/daemon');
    expect(loaded.names).toContain('createMonitor');
    const packages = loaded.packages.join(' ');
    for (const name of ['better-sqlite3', 'prom-client', 'yaml']) expect(packages).toContain(name);
  });

  it('a native addon, once loaded, is seen among the mapped shared objects', () => {
    const loaded = load('@resvg/resvg-js');
    expect(loaded.native.some((file) => file.includes('resvg'))).toBe(true);
  });

  it('every subpath resolves from the built package; the library ones load no dependency', () => {
    const light = ['detectors', 'membership', 'protocol', 'transport', 'agent', 'monitor'];
    for (const area of [...light, 'store', 'daemon', 'sim']) {
      const loaded = load(`heartbeat/${area}`);
      expect(loaded.names.length, area).toBeGreaterThan(0);
      if (!light.includes(area)) continue;
      expect(loaded.native, area).toEqual([]);
      expect(loaded.packages, area).toEqual([]);
    }
  });
});
