/**
 * End-to-end suite against a real control plane (test/kube-harness: etcd, kube-apiserver,
 * kube-controller-manager, kube-scheduler, KWOK nodes). Run with `npm run test:e2e`.
 */
import base from './jest.config.js';

export default {
  ...base,
  testMatch: ['<rootDir>/test/e2e/**/*.e2e.test.ts'],
  testPathIgnorePatterns: [],
  testTimeout: 120000,
  // One file at a time: each runs its own control plane, and the pods' processes bind
  // the same loopback addresses (127.1.0.x, 127.1.1.x) in every cluster.
  maxWorkers: 1,
};
