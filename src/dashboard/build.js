/**
 * Bundles the dashboard (src/dashboard/) into dist/dashboard/ with esbuild: one script
 * (main.js, uPlot inside), one stylesheet (main.css) and the page (index.html), all served by the
 * monitor itself (src/api/routes/dashboard.ts); nothing is loaded from elsewhere. Run by
 * `npm run build` after tsc, and by the integration tests' setup (test/integration/built-cli.ts).
 * Type checking is `npm run typecheck` (src/dashboard/tsconfig.json); esbuild only strips types.
 */
import { copyFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const here = path.dirname(fileURLToPath(import.meta.url));
const out = path.resolve(here, '../../dist/dashboard');

await mkdir(out, { recursive: true });
await build({
  entryPoints: [path.join(here, 'main.ts')],
  bundle: true,
  format: 'esm',
  target: 'es2022',
  minify: true,
  sourcemap: true,
  legalComments: 'linked',
  outdir: out,
  logLevel: 'warning',
});
await copyFile(path.join(here, 'index.html'), path.join(out, 'index.html'));
