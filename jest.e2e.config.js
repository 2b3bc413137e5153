/** End-to-end suite against a real kube-apiserver + etcd (test/kube-harness). Run with `npm run test:e2e`. */
import base from './jest.config.js';

export default {
  ...base,
  testMatch: ['<rootDir>/test/e2e/**/*.e2e.test.ts'],
  testPathIgnorePatterns: [],
  testTimeout: 120000,
  // One harness per run, shared by every describe of the suite.
  maxWorkers: 1,
};
