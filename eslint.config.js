import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/**
 * Time enters `src/` only through a `Clock` (src/core/clock.ts). Reading the time or setting a
 * timer anywhere else makes code untestable with ManualClock and breaks the simulator.
 */
const timeRestrictions = {
  'no-restricted-globals': [
    'error',
    { name: 'setTimeout', message: 'Use clock.setTimeout from src/core/clock.ts.' },
    { name: 'setInterval', message: 'Use clock timers from src/core/clock.ts.' },
    { name: 'setImmediate', message: 'Use clock timers from src/core/clock.ts.' },
    { name: 'performance', message: 'Use clock.monotonicMs() from src/core/clock.ts.' },
  ],
  'no-restricted-properties': [
    'error',
    { object: 'Date', property: 'now', message: 'Use clock.wallMs() from src/core/clock.ts.' },
    { object: 'performance', property: 'now', message: 'Use clock.monotonicMs().' },
    { object: 'process', property: 'hrtime', message: 'Use clock.monotonicMs().' },
    { object: 'globalThis', property: 'setTimeout', message: 'Use clock.setTimeout.' },
    { object: 'globalThis', property: 'setInterval', message: 'Use clock timers.' },
  ],
  'no-restricted-syntax': [
    'error',
    {
      selector: "NewExpression[callee.name='Date'][arguments.length=0]",
      message: 'new Date() reads the time: use clock.wallMs().',
    },
  ],
  'no-restricted-imports': [
    'error',
    {
      paths: [
        { name: 'node:timers', message: 'Use src/core/clock.ts.' },
        { name: 'node:timers/promises', message: 'Use src/core/clock.ts.' },
        { name: 'timers', message: 'Use src/core/clock.ts.' },
        { name: 'node:perf_hooks', importNames: ['performance'], message: 'Use the clock.' },
      ],
    },
  ],
};

/**
 * The layers of src/ (docs/ARCHITECTURE.md, "Layers"): what each folder may import of ours.
 * `uses` may be imported freely, `types` only with `import type`, `only` names the files of a
 * folder that may be imported at all (by how their names begin). Any other folder of src/ is
 * refused, and so is the package root (src/index.ts) and the internal barrel (src/internal.ts):
 * they are for users and tests, never for src/ itself.
 */
export const LAYERS = {
  core: {},
  protocol: { uses: ['core'] },
  detectors: { uses: ['core'] },
  membership: { uses: ['core', 'detectors', 'protocol'] },
  transport: { uses: ['core', 'protocol'], types: ['membership'] },
  store: { uses: ['core'], types: ['membership'] },
  config: { uses: ['core', 'detectors', 'protocol'], only: { membership: ['types.js'] } },
  actions: { uses: ['core', 'membership', 'protocol'], types: ['config'] },
  monitor: {
    uses: ['core', 'detectors', 'protocol', 'membership'],
    types: ['transport', 'store', 'actions', 'config'],
  },
  api: {
    uses: ['core', 'detectors', 'protocol', 'membership', 'monitor'],
    types: ['transport', 'store', 'actions', 'config'],
  },
  agent: { uses: ['core', 'protocol', 'transport'] },
  sim: { uses: ['core', 'detectors', 'membership', 'protocol'], only: { transport: ['memory-'] } },
};
/** The daemon wires the monitor's default parts: every layer but the CLI. The CLI is on top. */
LAYERS.daemon = { uses: Object.keys(LAYERS) };
LAYERS.cli = { uses: Object.keys(LAYERS) };
/**
 * The dashboard runs in the browser and talks to the monitor over HTTP only: it may import the
 * API's types, nothing that runs, and no layer imports it (it is bundled apart, src/dashboard/build.js).
 */
LAYERS.dashboard = { types: ['core', 'detectors', 'protocol', 'membership', 'store'] };

/** The `@typescript-eslint/no-restricted-imports` patterns for files of `layer`, `depth` folders deep. */
function layerPatterns(layer, depth) {
  const { uses = [], types = [], only = {} } = LAYERS[layer];
  const up = `^(\\.\\./){${depth}}`;
  const allowed = new Set([layer, ...uses, ...types, ...Object.keys(only)]);
  const refused = Object.keys(LAYERS).filter((other) => !allowed.has(other));
  const patterns = [
    {
      regex: `${up}(index|internal)\\.js$`,
      message: 'src/ never imports the package root or the internal barrel: import the file.',
    },
  ];
  if (refused.length > 0) {
    patterns.push({
      regex: `^(\\.\\./)+(${refused.join('|')})/`,
      message: `${layer}/ may not import this layer (docs/ARCHITECTURE.md, "Layers").`,
    });
  }
  for (const other of types) {
    patterns.push({
      regex: `^(\\.\\./)+${other}/`,
      allowTypeImports: true,
      message: `${layer}/ may import only types from ${other}/ (docs/ARCHITECTURE.md, "Layers").`,
    });
  }
  for (const [other, files] of Object.entries(only)) {
    const names = files.map((name) => name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|');
    patterns.push({
      regex: `^(\\.\\./)+${other}/(?!(${names}))`,
      message: `${layer}/ may import from ${other}/ only ${files.join(', ')}… (docs/ARCHITECTURE.md).`,
    });
  }
  return patterns;
}

/** One config block per layer and file depth (the root pattern counts the `../` exactly). */
const layerRules = Object.keys(LAYERS).flatMap((layer) =>
  [1, 2, 3].map((depth) => ({
    files: [`src/${layer}/${'*/'.repeat(depth - 1)}*.ts`],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        { patterns: layerPatterns(layer, depth) },
      ],
    },
  })),
);

/** What the package root (src/index.ts) may re-export: the light library, no native module. */
const ROOT_USES = ['core', 'detectors', 'protocol', 'membership', 'agent'];
const rootRule = {
  files: ['src/index.ts'],
  rules: {
    '@typescript-eslint/no-restricted-imports': [
      'error',
      {
        patterns: [
          {
            regex: `^\\./(?!(${ROOT_USES.join('|')})/)`,
            message: 'The root loads light: this area has its own subpath (package.json exports).',
          },
        ],
      },
    ],
  },
};

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'data/**', 'docs/quality/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
    },
  },
  {
    files: ['src/**/*.ts'],
    // The dashboard runs in the browser: its time is the page's, not the monitor's Clock.
    ignores: ['src/core/clock.ts', 'src/dashboard/**'],
    rules: timeRestrictions,
  },
  ...layerRules,
  rootRule,
  {
    files: ['bin/**/*.js'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly' } },
  },
);
