/** Jest: unit (pure deciders), int (adapters and contract suites), e2e (real HTTP server). */
const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2022',
    },
    module: { type: 'commonjs' },
  },
];
const common = {
  transform: { '^.+\\.(t|j)s$': swc },
  // @fastify/static (the dashboard and the docs page's assets on Fastify) requires content-disposition, an ES module.
  transformIgnorePatterns: [
    '/node_modules/(?!(@nestjs|jose|file-type|strtok3|token-types|uint8array-extras|@tokenizer|@fastify/static|content-disposition)/)',
  ],
  // As tsconfig paths: `@salesline/<lib>` and its entries (`/domain`, `/testing`), and the API app's files for test harnesses.
  moduleNameMapper: {
    '^@salesline/api/(.*)$': '<rootDir>/apps/api/src/$1',
    '^@salesline/demo/(.*)$': '<rootDir>/apps/demo/src/$1',
    '^@salesline/([^/]+)$': '<rootDir>/libs/$1/src',
    '^@salesline/([^/]+)/(.*)$': '<rootDir>/libs/$1/src/$2',
  },
  testEnvironment: 'node',
};
module.exports = {
  // A global option: jest ignores testTimeout inside a project, so the e2e one never applied.
  testTimeout: 60000,
  globalSetup: '<rootDir>/test/support/global-setup.js',
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/libs/**/*.unit.spec.ts'] },
    { ...common, displayName: 'int', testMatch: ['<rootDir>/libs/**/*.int.spec.ts'] },
    {
      ...common,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/**/*.e2e.spec.ts'],
      setupFilesAfterEnv: ['<rootDir>/test/support/e2e-timeout.ts'],
    },
  ],
};
