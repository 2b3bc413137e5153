import type { LocalPorts } from '../platform/localPorts.js';
import { localDataDir, serviceDataDir } from './dataDir.js';
import { DEMO_AUDIENCE, DEMO_ISSUER } from './demoSigningKey.js';
import { ENTRY_POINTS } from './entryPoints.js';
import type { ComponentSpec } from './supervisor.js';

/**
 * The four processes of the local stack: the demo subgraphs from their own entry point,
 * the gateway from its CLI. The gateway gets the subgraph addresses through `AG__*`
 * overrides, so a config file (when given) still applies for everything else. With
 * `demoKeys` (the demo signing key's public set) the gateway verifies demo tokens
 * (`auth.jwt.jwks`, their issuer and audience): anonymous callers still call everything
 * without `@authenticated` or `@requiresScopes`. The customers subgraph and the invoices
 * service keep their data in embedded databases, a folder each under `dataDir`, so it
 * survives a restart of either or of the stack; no database server is needed.
 */
export function localStackComponents(
  ports: LocalPorts,
  gatewayConfig?: string,
  demoKeys?: { keys: readonly object[] },
  dataDir: string = localDataDir(),
): ComponentSpec[] {
  const grpc = `127.0.0.1:${ports.invoicesService}`;
  const subgraph = (name: string, args: readonly string[]): ComponentSpec => ({
    name,
    entry: ENTRY_POINTS.subgraphs,
    args: [name, ...args],
  });
  return [
    subgraph('invoices-service', [
      ...['--port', String(ports.invoicesService)],
      ...['--database', serviceDataDir(dataDir, 'invoices-service')],
    ]),
    subgraph('customers', [
      ...['--port', String(ports.customers)],
      ...['--database', serviceDataDir(dataDir, 'customers')],
    ]),
    subgraph('invoices', ['--port', String(ports.invoices), '--grpc', grpc]),
    {
      name: 'gateway',
      entry: ENTRY_POINTS.gateway,
      args: ['gateway', ...(gatewayConfig ? ['--config', gatewayConfig] : [])],
      env: {
        AG__SERVER__PORT: String(ports.gateway),
        AG__SUBGRAPHS__CUSTOMERS__URL: `http://127.0.0.1:${ports.customers}/graphql`,
        AG__SUBGRAPHS__INVOICES__URL: `http://127.0.0.1:${ports.invoices}/graphql`,
        AG__BACKENDS__INVOICES_SERVICE__GRPC: grpc,
        ...(demoKeys && {
          AG__AUTH__JWT__JWKS: JSON.stringify(demoKeys),
          AG__AUTH__JWT__ISSUER: DEMO_ISSUER,
          AG__AUTH__JWT__AUDIENCE: DEMO_AUDIENCE,
        }),
      },
    },
  ];
}
