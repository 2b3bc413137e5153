import { once } from 'node:events';
import { validateConfig } from '../../../src/config/load.js';
import type { CheckStatus } from '../../../src/availability/types.js';
import { KubernetesSource } from '../../../src/sources/kubernetes/kubernetesSource.js';
import { silentLogger } from '../../../src/platform/logger.js';
import { ApiDouble } from './apiDouble.js';

const config = validateConfig({
  availability: {
    sources: ['kubernetes'],
    kubernetes: { namespaces: ['shop'], watchdogMs: 1000, initialBackoffMs: 20, maxBackoffMs: 100 },
  },
  subgraphs: { customers: { url: 'http://customers/graphql', kubernetes: { deployments: ['customers'] } } },
});

/** A started source over the double, and a way to await a snapshot that satisfies a predicate. */
async function sourceOver(double: ApiDouble) {
  const waiters = new Set<() => void>();
  const source = new KubernetesSource({
    config,
    logger: silentLogger,
    connection: { kubeConfig: double.kubeConfig(), defaultNamespace: 'shop', description: 'API double' },
  });
  await source.start(() => waiters.forEach((w) => w()));
  const until = (predicate: (check: CheckStatus) => boolean) =>
    new Promise<CheckStatus>((resolve) => {
      const test = () => {
        const check = source.snapshot().find((c) => c.subgraph === 'customers');
        if (check && predicate(check)) {
          waiters.delete(test);
          resolve(check);
        }
      };
      waiters.add(test);
      test();
    });
  return { source, until };
}

/**
 * Faults a real API server cannot be made to produce on demand. Everything else about
 * the Kubernetes source (transitions, relist after 410, restarts, 403, discovery) is
 * tested against a real kube-apiserver in test/e2e.
 */
describe('KubernetesSource against an API double', () => {
  let double: ApiDouble;
  beforeEach(async () => {
    double = await new ApiDouble().start();
    double.apply('customers', 3, 3);
  });
  afterEach(async () => double.stop());

  test('restarts a watch that has gone silent (watchdog), then sees changes again', async () => {
    const { source, until } = await sourceOver(double);
    try {
      double.silent = true;
      const restarted = once(double, 'watch');
      double.apply('customers', 3, 0); // not delivered: the watch is silent
      await restarted;
      double.silent = false;
      // The restarted watch resumes from its resourceVersion and gets the missed change.
      expect((await until((c) => !c.ok)).reason).toBe('deployment shop/customers has 0 of 3 replicas available');
      expect(source.watchRestarts()).toBeGreaterThanOrEqual(1);
    } finally {
      await source.stop();
    }
  });

  test('while the API server fails it keeps the last known state, says so, and recovers', async () => {
    const { source, until } = await sourceOver(double);
    try {
      double.failures.push(500, 500, 500);
      double.dropWatches();
      // The cut itself is the first failure ("Premature close"); then the 500s.
      const stale = await until(
        (c) => c.reason.includes('last known state') && /500|Internal Server Error/.test(c.reason),
      );
      expect(stale.ok).toBe(true);
      expect(stale.reason).toMatch(
        /the watch of deployments in shop is failing since .*: (HTTP 500|Internal Server Error)/,
      );
      expect(source.watchHealth()[0]!.health.state).toBe('failing');
      const fresh = await until((c) => !c.reason.includes('last known state'));
      expect(fresh.reason).toBe('deployment shop/customers has 3 of 3 replicas available');
      expect(source.watchRestarts()).toBeGreaterThanOrEqual(3);
    } finally {
      await source.stop();
    }
  });

  test('a 403 after it has worked (an API server restarting before its RBAC cache is warm) is retried, and the reason says so', async () => {
    const { source, until } = await sourceOver(double);
    try {
      double.failures.push(403, 403);
      double.dropWatches();
      const refused = await until((c) => c.reason.includes('which was allowed before'));
      expect(refused.ok).toBe(true);
      expect(refused.reason).toMatch(
        /forbidden to list\/watch deployments\.apps in namespace shop, which was allowed before: an API server that just restarted refuses until its authorization cache is warm, so this is retried; if it lasts, the gateway's service account needs get, list, watch/,
      );
      const fresh = await until((c) => !c.reason.includes('last known state'));
      expect(fresh.reason).toBe('deployment shop/customers has 3 of 3 replicas available');
    } finally {
      await source.stop();
    }
  });

  test('does not leak connections across reconnects', async () => {
    const { source } = await sourceOver(double);
    try {
      for (let i = 0; i < 20; i++) {
        const reconnected = once(double, 'watch');
        double.dropWatches();
        await reconnected;
      }
      expect(double.openConnections()).toBeLessThanOrEqual(2);
    } finally {
      await source.stop();
    }
  });
});
