// ESLint flat config: TypeScript parsing (typescript-eslint) and the layer rule.
//
// The folders are layers, and imports run one way:
//   cli → run → crawl → dedupe / state → stages → shared
// (config/ and schedule/ sit beside run/: config is read by every layer above
// shared; schedule drives runs for the cli. dedupe/ is near-duplicate
// detection: it folds text with stages/normalize and is used by run/ through
// src/dedupe/index.ts.) A file may import its own layer and the layers below
// it, never one above. Checked on the import specifier.
import tseslint from 'typescript-eslint';

/** Specifier patterns (gitignore style) for the layers a folder must not import. */
const above = {
  shared: ['**/cli/*', '**/run/*', '**/crawl/*', '**/stages/*', '**/dedupe/*', '**/state/*', '**/config/*', '**/schedule/*', '**/pipeline.js'],
  stages: ['**/cli/*', '**/run/*', '**/crawl/*', '**/dedupe/*', '**/state/*', '**/schedule/*'],
  dedupe: ['**/cli/*', '**/run/*', '**/crawl/*', '**/state/*', '**/schedule/*', '**/pipeline.js'],
  state: ['**/cli/*', '**/run/*', '**/crawl/*', '**/schedule/*', '**/pipeline.js'],
  config: ['**/cli/*', '**/run/*', '**/crawl/*', '**/state/*', '**/schedule/*', '**/pipeline.js'],
  crawl: ['**/cli/*', '**/run/*', '**/schedule/*'],
  run: ['**/cli/*', '**/schedule/*'],
  schedule: ['**/cli/*'],
};

const layerRule = (layer) => ({
  files: [`src/${layer}/**/*.ts`],
  rules: {
    'no-restricted-imports': ['error', { patterns: [{ group: above[layer], message: `src/${layer}/ is below that layer: imports run cli → run → crawl → dedupe/state → stages → shared (eslint.config.js)` }] }],
  },
});

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'output/**', 'coverage/**'] },
  {
    files: ['src/**/*.ts'],
    languageOptions: { parser: tseslint.parser },
    plugins: { '@typescript-eslint': tseslint.plugin },
    rules: {
      'no-debugger': 'error',
      'no-dupe-keys': 'error',
      'no-unreachable': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  ...Object.keys(above).map(layerRule),
);
