/**
 * The demo services against a real PostgreSQL server (Debian's `postgresql`, started by
 * each test file in a temporary directory): several service processes on one database.
 * Run with `npm run test:postgres`; CI runs it after the fast suite.
 */
import base from './jest.config.js';

export default {
  ...base,
  testMatch: ['<rootDir>/test/**/*.postgres.test.ts'],
  testPathIgnorePatterns: [],
  testTimeout: 60000,
};
