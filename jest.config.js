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
  // Two files at a time, also on 2 cores (jest's default there is one, which leaves a core
  // idle while a file waits on its servers). The whole-system files, whose sanity bounds a
  // second file could starve, are in the scenario suite, which runs one at a time.
  maxWorkers: 2,
};
