/** Fast suite: real servers on loopback, no cluster. Run with `npm test`. */
export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  // Sources import siblings as `./x.js` (NodeNext); jest resolves them to the .ts files.
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: { '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.json' }] },
  testMatch: ['<rootDir>/test/**/*.test.ts'],
  // The e2e, real-PostgreSQL and scenario suites have configs of their own.
  testPathIgnorePatterns: ['<rootDir>/test/e2e/', '<rootDir>/test/scenarios/', '\\.postgres\\.test\\.ts$'],
  testTimeout: 30000,
};
