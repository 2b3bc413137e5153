import { buildSubgraphSchema } from '@apollo/subgraph';
import type { RunningHttpServer } from '../../src/platform/http/httpServer.js';
import { createRegistry } from '../../src/platform/metrics.js';
import { serveSubgraph, type SubgraphServerOptions } from '../shared/serveSubgraph.js';
import { InvoicesClient } from './invoicesClient.js';
import { invoiceResolvers } from './resolvers.js';
import { typeDefs } from './typeDefs.js';

export interface InvoicesSubgraphOptions extends SubgraphServerOptions {
  /** host:port of the invoices gRPC service. */
  grpcAddress: string;
  /** Deadline of every gRPC call. Default 2000 ms. */
  grpcDeadlineMs?: number;
}

/** Starts the invoices subgraph; its resolvers call the invoices gRPC service over one channel. */
export async function startInvoicesSubgraph(options: InvoicesSubgraphOptions): Promise<RunningHttpServer> {
  const registry = createRegistry('invoices');
  const client = new InvoicesClient({ address: options.grpcAddress, deadlineMs: options.grpcDeadlineMs, registry });
  const schema = buildSubgraphSchema({ typeDefs, resolvers: invoiceResolvers(client) });
  const server = await serveSubgraph(schema, { ...options, registry });
  return {
    ...server,
    close: async (graceMs?: number) => {
      await server.close(graceMs);
      client.close();
    },
  };
}
