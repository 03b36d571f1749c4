/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  // Type-checking is `npm run typecheck`; here ts-jest only transpiles, per file.
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.test.json' }],
    // jose ships ES modules only, which Jest on Node 20 cannot require: transpile it too.
    '/node_modules/jose/.+\\.js$': ['ts-jest', { tsconfig: { allowJs: true, isolatedModules: true, module: 'commonjs' } }],
  },
  transformIgnorePatterns: ['/node_modules/(?!jose/)'],
  // Examples import the runtime by its package name, as a vendor's project would (tsconfig.json "paths").
  moduleNameMapper: { '^cdk-residency/runtime$': '<rootDir>/runtime/index.ts' },
  testTimeout: 120000,
  // One worker per core (jest's default leaves one idle): most files are CPU-bound JavaScript, and on
  // CI's 2 cores this took the suite from 10 min 44 s to 7 min 5 s (same clean clone, back to back).
  maxWorkers: '100%',
  // One `npm pack` of a clean clone and one install of it, shared by the package tests of a run.
  globalSetup: '<rootDir>/test/helpers/package-dir-setup.ts',
  globalTeardown: '<rootDir>/test/helpers/package-dir-teardown.ts',
};
