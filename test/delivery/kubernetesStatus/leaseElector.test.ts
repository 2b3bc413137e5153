import { once } from 'node:events';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { CoordinationV1Api, KubeConfig } from '@kubernetes/client-node';
import { LeaseElector } from '../../../src/delivery/kubernetesStatus/leaseElector.js';
import { silentLogger } from '../../../src/platform/logger.js';

/**
 * The one fault of the elector a real API server cannot be made to produce on demand: an
 * API server that takes connections and never answers (a partition). Election itself,
 * hand-over and expiry are tested against the real kube-apiserver (test/e2e/subgraphResources).
 */
describe('LeaseElector against an API server that never answers', () => {
  test('stop() gives up waiting after its bound instead of holding the shutdown', async () => {
    const sockets = new Set<Socket>();
    const silent = createServer((socket) => sockets.add(socket));
    silent.listen(0, '127.0.0.1');
    await once(silent, 'listening');
    const kubeConfig = new KubeConfig();
    kubeConfig.loadFromOptions({
      clusters: [
        { name: 'silent', server: `http://127.0.0.1:${(silent.address() as AddressInfo).port}`, skipTLSVerify: true },
      ],
      users: [{ name: 'test' }],
      contexts: [{ name: 'silent', cluster: 'silent', user: 'test' }],
      currentContext: 'silent',
    });
    const elector = new LeaseElector({
      api: kubeConfig.makeApiClient(CoordinationV1Api),
      namespace: 'shop',
      name: 'lease',
      identity: 'me',
      durationMs: 3000,
      renewDeadlineMs: 2000,
      retryPeriodMs: 250,
      logger: silentLogger,
    });
    try {
      const asked = once(silent, 'connection');
      elector.start();
      await asked;
      const stopping = performance.now();
      await elector.stop();
      const tookMs = performance.now() - stopping;
      expect(elector.isLeader()).toBe(false);
      expect(tookMs).toBeGreaterThanOrEqual(1900);
      expect(tookMs).toBeLessThan(6000);
    } finally {
      for (const socket of sockets) socket.destroy();
      silent.close();
    }
  });
});
