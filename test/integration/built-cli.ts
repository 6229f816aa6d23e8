/**
 * The CLI the process tests run is the built one, `node bin/heartbeat.js` over dist/, as users
 * run it. This is the vitest global setup of the `cli` project (vitest.config.ts): before any
 * test that spawns the CLI, it builds dist/ (`tsc -p tsconfig.build.json`, then the dashboard's
 * bundle with src/dashboard/build.js, as `npm run build` does) when dist/ is missing
 * or older than a source file, so a test never runs yesterday's build.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** The command's entry point, as package.json's `bin` names it. */
export const BIN = path.join(root, 'bin', 'heartbeat.js');

/** What the build writes last-modified and first-read: if it is older than a source, rebuild. */
const BUILT = path.join(root, 'dist', 'cli', 'main.js');
/** The dashboard's bundle, written after tsc by src/dashboard/build.js. */
const DASHBOARD = path.join(root, 'dist', 'dashboard', 'main.js');

/** Newest modification time of a file under `dir` (or of `dir` itself, a file). */
function newestMs(file: string): number {
  const stat = statSync(file);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(file))
    newest = Math.max(newest, newestMs(path.join(file, entry)));
  return newest;
}

/** Why dist/ must be built again, or undefined when it is up to date. */
export function staleBuild(): string | undefined {
  let builtMs: number;
  try {
    builtMs = statSync(BUILT).mtimeMs;
  } catch {
    return 'dist/ is not built';
  }
  try {
    statSync(DASHBOARD);
  } catch {
    return 'dist/dashboard/ is not built';
  }
  const inputs = ['src', 'tsconfig.json', 'tsconfig.build.json', 'package.json'];
  const sourceMs = Math.max(...inputs.map((f) => newestMs(path.join(root, f))));
  return sourceMs > builtMs ? 'dist/ is older than the sources' : undefined;
}

/** Builds dist/ afresh (removing outputs of deleted sources) when it is missing or stale. */
export function setup(): void {
  const why = staleBuild();
  if (why === undefined) return;
  rmSync(path.join(root, 'dist'), { recursive: true, force: true });
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  const build = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], {
    cwd: root,
    encoding: 'utf8',
  });
  if (build.status !== 0) {
    throw new Error(`${why}, and building it failed:\n${build.stdout}${build.stderr}`);
  }
  const bundle = spawnSync(process.execPath, [path.join(root, 'src', 'dashboard', 'build.js')], {
    cwd: root,
    encoding: 'utf8',
  });
  if (bundle.status !== 0) {
    throw new Error(`${why}, and bundling the dashboard failed:\n${bundle.stdout}${bundle.stderr}`);
  }
}
