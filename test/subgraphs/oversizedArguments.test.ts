import { credentials, type Client, type ServiceError } from '@grpc/grpc-js';
import { InvoiceServiceClient, type Invoice } from '../../subgraphs/invoices-service/proto.js';
import { startInvoicesService, type RunningGrpcServer } from '../../subgraphs/invoices-service/server.js';
import { InvoicesClient } from '../../subgraphs/invoices/invoicesClient.js';
import { startInvoicesSubgraph } from '../../subgraphs/invoices/server.js';
import type { RunningHttpServer } from '../../src/platform/http/httpServer.js';
import { silentLogger } from '../../src/platform/logger.js';
import { gql } from '../helpers/graphql.js';
import { grpcFailure } from './grpcTestUtil.js';

/** What a client sent instead of an id: far beyond any limit, far beyond a header's room. */
const HUGE = 'x'.repeat(200 * 1024);

/** Resolves with how long `run` took, in ms. */
async function timed<T>(run: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  const value = await run();
  return { value, ms: performance.now() - started };
}

/** A GetInvoice over a plain channel with grpc-js's own defaults (no send limit), as any client could send; its deadline is far above the tests' bounds, so an answer within them was not waited for. */
function getInvoice(client: Client, id: string): Promise<Invoice> {
  const method = InvoiceServiceClient.service.GetInvoice!;
  return new Promise((resolve, reject) =>
    client.makeUnaryRequest(
      method.path,
      method.requestSerialize,
      method.responseDeserialize,
      { id },
      { deadline: Date.now() + 30_000 },
      (error: ServiceError | null, invoice?: Invoice) => (error ? reject(error) : resolve(invoice as Invoice)),
    ),
  );
}

describe('oversized arguments', () => {
  let service: RunningGrpcServer;
  beforeAll(async () => {
    service = await startInvoicesService({ port: 0, logger: silentLogger });
  });
  afterAll(() => service?.close(0));

  describe('through the invoices subgraph', () => {
    let subgraph: RunningHttpServer;
    beforeAll(async () => {
      // A deadline far above the bounds below: an answer within them was never sent over the channel.
      subgraph = await startInvoicesSubgraph({
        port: 0,
        logger: silentLogger,
        grpcAddress: service.address,
        grpcDeadlineMs: 30_000,
      });
    });
    afterAll(() => subgraph?.close());

    test('a 200 KB id is BAD_USER_INPUT naming the argument and its limit, at once, while others are served', async () => {
      const normal = Array.from({ length: 20 }, () =>
        timed(() => gql(subgraph.url, '{ invoice(id: "inv-2") { id } }')),
      );
      const oversized = await timed(() =>
        gql(subgraph.url, 'query($id: ID!) { invoice(id: $id) { id } }', { id: HUGE }),
      );
      expect(oversized.value.errors).toEqual([
        expect.objectContaining({
          message: `id: must be at most 64 characters, got ${HUGE.length}`,
          extensions: { code: 'BAD_USER_INPUT', argument: 'id' },
        }),
      ]);
      expect(oversized.ms).toBeLessThan(10_000);
      for (const { value, ms } of await Promise.all(normal)) {
        expect(value).toEqual({ status: 200, data: { invoice: { id: 'inv-2' } } });
        expect(ms).toBeLessThan(10_000);
      }
    });

    test.each([
      ['customerId', 'createInvoice(customerId: $v, amount: 1)', 64],
      ['currency', 'createInvoice(customerId: "1", amount: 1, currency: $v)', 16],
      ['description', 'createInvoice(customerId: "1", amount: 1, description: $v)', 500],
    ])('a 200 KB %s is BAD_USER_INPUT naming it and its limit', async (argument, field, limit) => {
      const type = argument === 'customerId' ? 'ID!' : 'String!';
      const result = await gql(subgraph.url, `mutation($v: ${type}) { ${field} { id } }`, { v: HUGE });
      expect(result.errors).toEqual([
        expect.objectContaining({
          message: `${argument}: must be at most ${limit} characters, got ${HUGE.length}`,
          extensions: { code: 'BAD_USER_INPUT', argument },
        }),
      ]);
    });

    test('an oversized id in an entity representation is refused the same way', async () => {
      const result = await gql(
        subgraph.url,
        'query($r: [_Any!]!) { _entities(representations: $r) { ... on Invoice { id } } }',
        { r: [{ __typename: 'Invoice', id: HUGE }] },
      );
      expect(result.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', argument: 'id' } });
    });
  });

  describe('at the gRPC service, sent by a client that does not check', () => {
    let raw: Client;
    beforeAll(() => {
      raw = new InvoiceServiceClient(service.address, credentials.createInsecure());
    });
    afterAll(() => raw?.close());

    test('an id over the limit but within the message size is INVALID_ARGUMENT with the limit, not echoed whole', async () => {
      const id = 'x'.repeat(50 * 1024);
      const normal = Array.from({ length: 20 }, () => timed(() => getInvoice(raw, 'inv-1')));
      const { value: failure, ms } = await timed(() => grpcFailure(getInvoice(raw, id)));
      expect(failure).toEqual({
        code: 'INVALID_ARGUMENT',
        details: `id: must be at most 64 characters, got ${id.length}`,
      });
      expect(ms).toBeLessThan(10_000);
      for (const { value, ms: each } of await Promise.all(normal)) {
        expect(value.id).toBe('inv-1');
        expect(each).toBeLessThan(10_000);
      }
    });

    test('a malformed id is echoed cut short, with its length', async () => {
      const id = `inv-${'9'.repeat(60)}`;
      expect(await grpcFailure(getInvoice(raw, id))).toEqual({
        code: 'INVALID_ARGUMENT',
        details: `id: "${id.slice(0, 40)}…" (64 characters) is not an invoice id (like inv-1)`,
      });
    });

    test('a 200 KB message is refused unread (RESOURCE_EXHAUSTED) and the channel keeps serving', async () => {
      const normal = Array.from({ length: 20 }, () => timed(() => getInvoice(raw, 'inv-1')));
      const { value: failure, ms } = await timed(() => grpcFailure(getInvoice(raw, HUGE)));
      expect(failure.code).toBe('RESOURCE_EXHAUSTED');
      expect(ms).toBeLessThan(10_000);
      for (const { value, ms: each } of await Promise.all(normal)) {
        expect(value.id).toBe('inv-1');
        expect(each).toBeLessThan(10_000);
      }
      expect((await getInvoice(raw, 'inv-2')).id).toBe('inv-2');
    });

    test("the subgraph's channel does not send a message over its limit", async () => {
      const client = new InvoicesClient({ address: service.address, deadlineMs: 30_000 });
      try {
        const { value: failure, ms } = await timed(() => grpcFailure(client.get({ id: HUGE })));
        expect(failure.code).toBe('RESOURCE_EXHAUSTED');
        expect(ms).toBeLessThan(10_000);
        expect((await client.get({ id: 'inv-1' })).id).toBe('inv-1');
      } finally {
        client.close();
      }
    });
  });
});
