// Two projects: fast unit tests of pure code next to it, and e2e tests that start the real
// HTTP server on a real PostgreSQL (embedded, or DATABASE_URL when set).
const transform = {
  '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.jest.json' }],
  '^.+/node_modules/.+\\.js$': '<rootDir>/test/support/esm-to-cjs.transformer.js',
};
// Everything under node_modules goes through the transformer, which only touches ES modules.
const transformIgnorePatterns = [];

module.exports = {
  // e2e tests start servers and databases; unit tests never come near this.
  testTimeout: 60000,
  reporters: ['default', '<rootDir>/test/support/summary-reporter.js'],
  projects: [
    {
      displayName: 'unit',
      rootDir: '.',
      testEnvironment: 'node',
      testMatch: ['<rootDir>/src/**/*.spec.ts'],
      transform,
      transformIgnorePatterns,
      // Prisma's generated TypeScript imports its siblings as './x.js'.
      moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
    },
    {
      displayName: 'e2e',
      rootDir: '.',
      testEnvironment: 'node',
      testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'],
      testPathIgnorePatterns: ['<rootDir>/test/docs/'],
      globalSetup: '<rootDir>/test/support/global-setup.ts',
      globalTeardown: '<rootDir>/test/support/global-teardown.ts',
      transform,
      transformIgnorePatterns,
      // Prisma's generated TypeScript imports its siblings as './x.js'.
      moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
    },
    {
      // Swagger UI and its document: compiled with the @nestjs/swagger plugin, as `nest build` compiles
      // the service, so the page under test documents exactly what users see.
      displayName: 'docs',
      rootDir: '.',
      testEnvironment: 'node',
      testMatch: ['<rootDir>/test/docs/**/*.e2e-spec.ts'],
      globalSetup: '<rootDir>/test/support/global-setup.ts',
      globalTeardown: '<rootDir>/test/support/global-teardown.ts',
      transform: {
        ...transform,
        '^.+\\.ts$': [
          'ts-jest',
          { tsconfig: 'tsconfig.jest-docs.json', diagnostics: false, astTransformers: { before: ['<rootDir>/test/support/swagger-plugin.transformer.js'] } },
        ],
      },
      transformIgnorePatterns,
      moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
    },
  ],
};
