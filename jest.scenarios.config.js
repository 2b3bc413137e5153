/**
 * Scenario suite: whole systems on loopback (the local stack, several gateway processes,
 * crashes under load, the console over 100 subgraphs in Chromium), minutes rather than
 * seconds. Run with `npm run test:scenarios`; CI runs it right after the fast suite.
 */
import base from './jest.config.js';

export default {
  ...base,
  testMatch: ['<rootDir>/test/scenarios/**/*.test.ts'],
  testPathIgnorePatterns: ['\\.postgres\\.test\\.ts$'],
  testTimeout: 120000,
  // One file at a time: each runs a whole system, and some hold it to sanity bounds
  // (a drop within seconds, answers under steady load) that a second one would starve.
  maxWorkers: 1,
};
