// @ts-check
/**
 * ESLint: typescript-eslint's strict rules (without type information, so it runs in seconds), the core
 * rules that catch real mistakes, and the boundaries of the architecture (docs/architecture.md):
 * - a context's domain is pure: it imports the shared kernel and other contexts' `/domain` entries only,
 *   never NestJS, a driver, swagger, I/O, or `@salesline/core`;
 * - a package (a lib, an app, test/, bench/) is entered only by its `@salesline/...` name: no relative
 *   import leaves its package; deep imports are limited to the `/domain` and `/testing` entries;
 * - libs never import the composition or the apps.
 * Formatting is Prettier's (.prettierrc), checked by `npm run lint`.
 */
import tseslint from 'typescript-eslint';

const CONTEXTS = ['customers', 'organization', 'performance', 'pricing', 'receivables', 'sales', 'targets'];

/** Only `@salesline/<lib>`, `@salesline/<lib>/domain` and `@salesline/<lib>/testing[/…]` (and the API app's files for harnesses). */
const deepImport = {
  regex: '^@salesline/(?!api/|demo/)[^/]+/(?!domain$|testing(/|$)).+',
  message: 'Import a package by its name, its /domain entry or its /testing entry; other files are its internals.',
};
const driversAndFrameworks = {
  regex:
    '^(@nestjs/.*|@kurrent/.*|better-sqlite3|mongodb|pg|express|class-validator|class-transformer|reflect-metadata|rxjs|nestjs-pino|pino(-http)?|node:.*|fs|path|crypto)$',
  message:
    'The domain is pure (docs/architecture.md): no framework, driver, swagger or I/O here. Time, ids and facts arrive with the command.',
};
const outsideTheDomain = {
  regex: `^@salesline/(core|composition|api)(/.*)?$|^@salesline/(${CONTEXTS.join('|')})$|^@salesline/(${CONTEXTS.join('|')})/(?!domain$)`,
  message: "A domain imports the shared kernel and other contexts' /domain entries only; their barrels pull NestJS and drivers.",
};
const appsLayer = {
  regex: '^@salesline/(composition|api)(/.*)?$',
  message: 'Libraries do not depend on the composition or the apps; the apps depend on them.',
};
/** A relative import may not climb out of the package: `levels` is how many `../` reach the package root's parent. */
const leavesPackage = (levels) => ({
  regex: `^(\\.\\./){${levels},}`,
  message: 'This relative import leaves its package: import the other package by its @salesline/... name.',
});

/** Files `depth` folders below `<root>/src` (libs/*, apps/*) get the relative-import limit for that depth. */
const byDepth = (root, extra = []) =>
  [0, 1, 2, 3, 4].map((depth) => ({
    files: [`${root}/src/${'*/'.repeat(depth)}*.ts`],
    rules: { 'no-restricted-imports': ['error', { patterns: [leavesPackage(depth + 2), deepImport, ...extra] }] },
  }));

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'data/**', 'bench/results/**', '**/*.js', '**/*.cjs', '**/*.mjs'] },
  ...tseslint.configs.strict,
  {
    files: ['**/*.ts'],
    languageOptions: { parserOptions: { sourceType: 'module' } },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // Core rules that catch real mistakes (eslint:recommended's, without a dependency on @eslint/js).
      eqeqeq: ['error', 'always', { null: 'ignore' }],
      'no-var': 'error',
      'prefer-const': ['error', { destructuring: 'all' }],
      'no-debugger': 'error',
      'no-dupe-keys': 'error',
      'no-duplicate-case': 'error',
      'no-self-compare': 'error',
      'no-self-assign': 'error',
      'no-unreachable': 'error',
      'no-unsafe-finally': 'error',
      'no-unsafe-negation': 'error',
      'no-cond-assign': 'error',
      'no-constant-binary-expression': 'error',
      'no-fallthrough': 'error',
      'no-sparse-arrays': 'error',
      'no-template-curly-in-string': 'error',
      'no-useless-catch': 'error',
      'no-empty': ['error', { allowEmptyCatch: false }],
      'no-console': 'error',
      'no-throw-literal': 'error',
      'no-return-assign': ['error', 'except-parens'],
      'object-shorthand': 'error',
      // typescript-eslint, tuned where the strict preset and our code disagree on purpose.
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
      '@typescript-eslint/consistent-type-definitions': 'off',
      '@typescript-eslint/no-extraneous-class': ['error', { allowWithDecorator: true }],
      // `map.get(id)!` after a has() check, or on an index the loop bounds: the idiom of our folds. Without
      // type information the rule cannot tell those from a real gap, so it would only add noise.
      '@typescript-eslint/no-non-null-assertion': 'off',
      // State maps are records keyed by id, copied per command: deleting a key from the copy is intended.
      '@typescript-eslint/no-dynamic-delete': 'off',
    },
  },
  // Boundaries: relative imports stay inside their package, deep imports only to entries.
  ...byDepth('libs/*', [appsLayer]),
  ...byDepth('apps/*'),
  { files: ['test/*.ts', 'bench/*.ts'], rules: { 'no-restricted-imports': ['error', { patterns: [leavesPackage(1), deepImport] }] } },
  { files: ['test/*/*.ts', 'bench/*/*.ts'], rules: { 'no-restricted-imports': ['error', { patterns: [leavesPackage(2), deepImport] }] } },
  // The domain is pure (specs in the domain folder may use the shared spec helpers).
  {
    files: ['libs/*/src/domain/**/*.ts'],
    ignores: ['**/*.spec.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [leavesPackage(3), deepImport, driversAndFrameworks, outsideTheDomain] }] },
  },
  {
    files: ['libs/*/src/domain/**/*.spec.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            leavesPackage(3),
            deepImport,
            { ...outsideTheDomain, regex: outsideTheDomain.regex.replace('(?!domain$)', '(?!domain$|testing(/|$))') },
          ],
        },
      ],
    },
  },
  // Specs read untyped JSON bodies, use empty test doubles and may print diagnostics; command-line tools print.
  {
    files: ['**/*.spec.ts', '**/testing/**/*.ts', 'test/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off', '@typescript-eslint/no-empty-function': 'off', 'no-console': 'off' },
  },
  { files: ['bench/**/*.ts', 'apps/*/src/main.ts', 'apps/*/src/rebuild.ts', 'apps/demo/src/**/*.ts'], rules: { 'no-console': 'off' } },
  // The dashboard and the demo show and send the API's JSON as it comes (the API validates and types it);
  // the event catalog and the OpenAPI enrichment walk untyped schema documents.
  {
    files: [
      'apps/web/src/**/*.ts',
      'apps/demo/src/**/*.ts',
      'libs/audit/src/catalog/asyncapi.ts',
      'apps/api/src/openapi-constraints.ts',
      'libs/core/src/event-store/upcasting.ts',
    ],
    rules: { '@typescript-eslint/no-explicit-any': 'off', '@typescript-eslint/no-unsafe-function-type': 'off' },
  },
  // Compiled by tools that resolve relative paths only (ts-json-schema-generator for the catalog; ts-child.js for
  // the separate appender processes) or outside any package (bench helpers shared with a test).
  {
    files: [
      'libs/audit/src/catalog/catalog-types.ts',
      'test/support/postgres-appender.child.ts',
      'bench/postgres.ts',
      'test/catch-up.e2e.spec.ts',
    ],
    rules: { 'no-restricted-imports': 'off' },
  },
  // The drivers of the scale-out stores load only when configured, the demo generator only with --demo (a synchronous, typed lazy require).
  { files: ['libs/core/src/nest/stores.ts', 'apps/api/src/main.ts'], rules: { '@typescript-eslint/no-require-imports': 'off' } },
);
