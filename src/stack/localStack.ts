import { LOCAL_PORTS } from '../config/defaults.js';
import type { ComponentSpec } from './supervisor.js';

export interface LocalStackPorts {
  gateway: number;
  customers: number;
  invoices: number;
  invoicesService: number;
}

export const DEFAULT_STACK_PORTS: LocalStackPorts = { ...LOCAL_PORTS };

/**
 * The four processes of the local stack. The gateway gets the subgraph addresses through
 * `AG__*` overrides, so a config file (when given) still applies for everything else.
 */
export function localStackComponents(ports: LocalStackPorts, gatewayConfig?: string): ComponentSpec[] {
  const grpc = `127.0.0.1:${ports.invoicesService}`;
  return [
    { name: 'invoices-service', args: ['invoices-service', '--port', String(ports.invoicesService)] },
    { name: 'customers', args: ['customers', '--port', String(ports.customers)] },
    { name: 'invoices', args: ['invoices', '--port', String(ports.invoices), '--grpc', grpc] },
    {
      name: 'gateway',
      args: ['gateway', ...(gatewayConfig ? ['--config', gatewayConfig] : [])],
      env: {
        AG__SERVER__PORT: String(ports.gateway),
        AG__SUBGRAPHS__CUSTOMERS__URL: `http://127.0.0.1:${ports.customers}/graphql`,
        AG__SUBGRAPHS__INVOICES__URL: `http://127.0.0.1:${ports.invoices}/graphql`,
        AG__BACKENDS__INVOICES_SERVICE__GRPC: grpc,
      },
    },
  ];
}
