import { startCustomersSubgraph } from '../../../subgraphs/customers/server.js';
import { startInvoicesService, type RunningGrpcServer } from '../../../subgraphs/invoices-service/server.js';
import { InvoicesClient } from '../../../subgraphs/invoices/invoicesClient.js';
import { startInvoicesSubgraph } from '../../../subgraphs/invoices/server.js';
import type { SubgraphServer } from '../../../subgraphs/shared/serveSubgraph.js';
import type { RunningGateway } from '../../../src/gateway/startGateway.js';
import { silentLogger } from '../../../src/platform/logger.js';
import { affordancesWhere } from '../../helpers/gateway.js';
import { freePort } from '../../helpers/freePort.js';
import { gql } from '../../helpers/graphql.js';
import { grpcFailure, HealthCheckClient } from '../grpcTestUtil.js';
import { gatewayOverServices } from './gatewayOverServices.js';

/**
 * The demo services on a PostgreSQL server that is not there (a loopback port nothing
 * listens on: a real refused connection). Their return is in the real-server suite.
 */
describe('the demo services while their database server cannot be reached', () => {
  let customers: SubgraphServer;
  let service: RunningGrpcServer;
  let gateway: RunningGateway;

  beforeAll(async () => {
    const database = `postgres://demo@127.0.0.1:${await freePort()}/demo`;
    customers = await startCustomersSubgraph({ port: 0, logger: silentLogger, database });
    service = await startInvoicesService({ port: 0, logger: silentLogger, database });
    gateway = await gatewayOverServices(customers.url, service.address);
  });
  afterAll(async () => {
    await gateway?.close();
    await Promise.all([customers?.close(), service?.close(0)]);
  });

  test('customers starts, is not ready, and answers 503 BACKEND_UNAVAILABLE naming its database', async () => {
    expect((await fetch(`${customers.url}/readyz`)).status).toBe(503);
    expect((await fetch(`${customers.url}/healthz`)).status).toBe(200);
    const answer = await gql(customers.url, '{ __typename }');
    expect(answer).toEqual({
      status: 503,
      errors: [
        {
          message: 'customers: database unavailable (connection refused); retry later',
          extensions: { code: 'BACKEND_UNAVAILABLE', backend: 'database' },
        },
      ],
    });
  });

  test('the invoices service is alive but NOT_SERVING, its database entry says why, and calls fail UNAVAILABLE', async () => {
    const health = new HealthCheckClient(service.address);
    const client = new InvoicesClient({ address: service.address });
    try {
      expect(await health.check('')).toBe('SERVING');
      expect(await health.check('invoices.v1.InvoiceService')).toBe('NOT_SERVING');
      expect(await health.check('database')).toBe('NOT_SERVING');
      expect(await grpcFailure(client.get({ id: 'inv-1' }))).toEqual({
        code: 'UNAVAILABLE',
        details: 'database unavailable: connection refused',
      });
    } finally {
      client.close();
      health.close();
    }
  });

  test('through the invoices subgraph: BACKEND_UNAVAILABLE naming the database; a malformed id is still BAD_USER_INPUT', async () => {
    const invoices = await startInvoicesSubgraph({ port: 0, logger: silentLogger, grpcAddress: service.address });
    try {
      const down = await gql(invoices.url, '{ invoice(id: "inv-1") { id } }');
      expect(down.errors?.[0]).toMatchObject({
        message: "the invoices service's database is unavailable; retry later",
        extensions: { code: 'BACKEND_UNAVAILABLE', grpcStatus: 'UNAVAILABLE', backend: 'database' },
      });
      const malformed = await gql(invoices.url, '{ invoice(id: "abc") { id } }');
      expect(malformed.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'id' });
    } finally {
      await invoices.close();
    }
  });

  test('the gateway has neither subgraph, and both reasons name the database', async () => {
    const affordances = await affordancesWhere(gateway, (a) =>
      ['customers', 'invoices'].every((name) =>
        a.subgraphs.some((s) => s.name === name && !s.available && s.reason.includes('database unavailable')),
      ),
    );
    const reason = (name: string) => affordances.subgraphs.find((s) => s.name === name)!.reason;
    expect(reason('customers')).toBe('http customers: answered HTTP 503: database unavailable');
    expect(reason('invoices')).toBe('grpc invoices-service: reports NOT_SERVING: database unavailable');
  });
});
