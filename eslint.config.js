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
    ignores: ['src/core/clock.ts'],
    rules: timeRestrictions,
  },
  {
    files: ['bin/**/*.js'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly' } },
  },
);
