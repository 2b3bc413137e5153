import { LOCAL_PORTS } from '../platform/localPorts.js';
import type { GatewayConfigInput } from './schema.js';

/** The configuration used when no file is given: the local stack on loopback. */
export const localStackConfig: GatewayConfigInput = {
  server: { port: LOCAL_PORTS.gateway },
  backends: {
    // Its service's health follows its database (the server's own, "", is its liveness).
    'invoices-service': {
      grpc: `127.0.0.1:${LOCAL_PORTS.invoicesService}`,
      healthService: 'invoices.v1.InvoiceService',
    },
  },
  subgraphs: {
    // The demo subgraphs' error messages are written for clients (and name no host).
    customers: { url: `http://127.0.0.1:${LOCAL_PORTS.customers}/graphql`, errors: 'passthrough' },
    invoices: {
      url: `http://127.0.0.1:${LOCAL_PORTS.invoices}/graphql`,
      dependsOn: ['invoices-service'],
      errors: 'passthrough',
    },
  },
};
