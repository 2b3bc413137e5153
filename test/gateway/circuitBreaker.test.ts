import { jest } from '@jest/globals';
import { StaticSource } from '../../src/sources/staticSource.js';
import { validateConfig } from '../../src/config/load.js';
import { startGateway } from '../../src/gateway/startGateway.js';
import { silentLogger } from '../../src/platform/logger.js';
import { affordancesWhere, composed } from '../helpers/gateway.js';
import { gql } from '../helpers/graphql.js';
import { Backends } from '../helpers/servers.js';

jest.setTimeout(20_000);

/** A gateway whose only source is static, so only the circuit breaker can notice an outage. */
async function gatewayWithBreaker(backends: Backends, debug: boolean) {
  const base = backends.gatewayConfig();
  const config = validateConfig({
    ...base,
    server: { ...base.server, debug },
    subgraphRequests: { timeoutMs: 1000, circuitBreaker: { minimumRequests: 3, errorPercentage: 50, resetMs: 300 } },
  });
  return startGateway({
    config,
    logger: silentLogger,
    sources: [new StaticSource({ customers: true, invoices: true })],
  });
}

describe('circuit breaking per subgraph', () => {
  test('sustained fetch failures open the circuit, which drops the subgraph; a trial probe closes it again', async () => {
    const backends = await new Backends().startAll();
    const gateway = await gatewayWithBreaker(backends, false);
    try {
      await backends.stopCustomers();
      const failed = await gql(gateway.url, '{ customers { id } }');
      expect(failed.status).toBe(200);
      expect(failed.errors?.[0]).toMatchObject({
        message: 'subgraph customers is unavailable (connection refused); retry later',
        extensions: { code: 'BACKEND_UNAVAILABLE', subgraph: 'customers' },
      });
      expect(JSON.stringify(failed.errors)).not.toMatch(/127\.0\.0\.1|detail/);
      // Invoices is a different circuit: it keeps working throughout.
      expect((await gql(gateway.url, '{ invoices { id } }')).errors).toBeUndefined();
      const opened = affordancesWhere(gateway, composed('customers', false));
      for (let i = 0; i < 3; i++) await gql(gateway.url, '{ customers { id } }');
      const down = await opened;
      expect(down.subgraphs.find((s) => s.name === 'customers')!.reason).toMatch(
        /^circuit customers: circuit (open|half-open).* \(last: connection refused\)$/,
      );
      expect(down.unavailable.map((op) => op.name)).toContain('customers');

      await backends.startCustomers();
      await affordancesWhere(gateway, composed('customers'));
      expect((await gql(gateway.url, '{ customers { id } }')).errors).toBeUndefined();
    } finally {
      await gateway.close();
      await backends.stopAll();
    }
  });

  test('with server.debug, a failed fetch also carries the raw upstream error', async () => {
    const backends = await new Backends().startAll();
    const gateway = await gatewayWithBreaker(backends, true);
    try {
      await backends.stopCustomers();
      const failed = await gql(gateway.url, '{ customers { id } }');
      expect(failed.errors?.[0]?.extensions?.detail).toMatch(/ECONNREFUSED 127\.0\.0\.1/);
    } finally {
      await gateway.close();
      await backends.stopAll();
    }
  });
});
