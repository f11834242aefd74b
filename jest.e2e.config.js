// End-to-end suite: runs the bundled dist/ the runner's way against real BuildKit and a real registry.
export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: { '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.test.json' }] },
  roots: ['<rootDir>/e2e'],
  testMatch: ['**/*.e2e.test.ts'],
  testTimeout: 120000,
  // The BuildKit-builder column's remote builder (IEB_BUILDER=remote); nothing on the other columns.
  globalSetup: '<rootDir>/e2e/support/docker/global-setup.ts',
  globalTeardown: '<rootDir>/e2e/support/docker/global-teardown.ts'
}
