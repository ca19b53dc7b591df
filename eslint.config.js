// ESLint flat config: TypeScript parsing (typescript-eslint), the layer rule
// and the stage-surface rule.
//
// The folders are layers, and imports run one way:
//   cli → run → crawl → dedupe / state → stages → shared
// (config/ and schedule/ sit beside run/: config is read by every layer above
// shared; schedule drives runs for the cli. queue/ spreads a run over workers
// (BullMQ): it sits above run/ and uses it, the cli and schedule use it. dedupe/ is near-duplicate
// detection: it folds text with stages/normalize and is used by run/ through
// src/dedupe/index.ts.) A file may import its own layer and the layers below
// it, never one above. Checked on the import specifier.
//
// Each stage (src/stages/<name>/) is seen from outside only through its
// index.ts: a file outside src/stages imports stages/<name>/index.js, and a
// stage imports another stage's index.js, never its other files.
import tseslint from 'typescript-eslint';

/** Specifier patterns (gitignore style) for the layers a folder must not import. */
const above = {
  shared: ['**/cli/*', '**/run/*', '**/crawl/*', '**/stages/*', '**/dedupe/*', '**/state/*', '**/config/*', '**/schedule/*', '**/queue/*', '**/pipeline.js'],
  stages: ['**/cli/*', '**/run/*', '**/crawl/*', '**/dedupe/*', '**/state/*', '**/schedule/*', '**/queue/*'],
  dedupe: ['**/cli/*', '**/run/*', '**/crawl/*', '**/state/*', '**/schedule/*', '**/queue/*', '**/pipeline.js'],
  state: ['**/cli/*', '**/run/*', '**/crawl/*', '**/schedule/*', '**/queue/*', '**/pipeline.js'],
  config: ['**/cli/*', '**/run/*', '**/crawl/*', '**/state/*', '**/schedule/*', '**/queue/*', '**/pipeline.js'],
  crawl: ['**/cli/*', '**/run/*', '**/schedule/*', '**/queue/*'],
  run: ['**/cli/*', '**/schedule/*', '**/queue/*'],
  queue: ['**/cli/*', '**/schedule/*'],
  schedule: ['**/cli/*'],
};

const STAGES = ['clean', 'export', 'fetch', 'normalize', 'text'];

const layerMessage = (layer) => `src/${layer}/ is below that layer: imports run cli → run → crawl → dedupe/state → stages → shared (eslint.config.js)`;

/** Outside src/stages: any stage file but a stage's index.js. */
const stageSurface = {
  group: ['**/stages/*/**', '!**/stages/*/index.js'],
  message: "import a stage through its index.js only (src/stages/<name>/index.ts is the stage's public surface; eslint.config.js)",
};

/** Inside stage `own`: another stage's files but its index.js. */
const otherStageSurface = (own) => ({
  group: STAGES.filter((s) => s !== own).flatMap((s) => [`**/${s}/**`, `!**/${s}/index.js`]),
  message: "import another stage through its index.js only (src/stages/<name>/index.ts is the stage's public surface; eslint.config.js)",
});

const restrict = (files, patterns) => ({ files, rules: { 'no-restricted-imports': ['error', { patterns }] } });

// One config object per file set: flat config does not merge two objects' options for the same rule.
const importRules = [
  ...Object.keys(above)
    .filter((layer) => layer !== 'stages')
    .map((layer) => restrict([`src/${layer}/**/*.ts`], [{ group: above[layer], message: layerMessage(layer) }, ...(layer === 'shared' ? [] : [stageSurface])])),
  ...STAGES.map((stage) => restrict([`src/stages/${stage}/**/*.ts`], [{ group: above.stages, message: layerMessage('stages') }, otherStageSurface(stage)])),
  // The pipeline (src/stages/pipeline.ts) composes the stages: it sits with them, and sees each through its index.
  restrict(['src/stages/*.ts'], [{ group: above.stages, message: layerMessage('stages') }, otherStageSurface(null)]),
  // Outside any layer folder with its own rule: the cli and the bin.
  restrict(['src/cli/**/*.ts', 'src/*.ts'], [stageSurface]),
];

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
  ...importRules,
);
