import { validateConfig } from '../../src/config/load.js';
import type { GatewayConfigInput } from '../../src/config/schema.js';
import { startGateway, type RunningGateway } from '../../src/gateway/startGateway.js';
import { silentLogger } from '../../src/platform/logger.js';
import { affordancesWhere, available } from './gateway.js';
import { HeaderSubgraph } from './headerSubgraph.js';
import { JwksServer, signingKey, type SigningKey } from './jwks.js';

export interface SecuredGateway {
  readonly subgraph: HeaderSubgraph;
  readonly jwks: JwksServer;
  key: SigningKey;
  gateway: RunningGateway;
}

/**
 * For one describe block: the HeaderSubgraph (its schema uses @authenticated and
 * @requiresScopes) as subgraph `vault`, a JWKS server on loopback with key `k1`, and a
 * gateway verifying tokens against it (issuer https://issuer.test, audience
 * affordance-gateway) with these header rules; stopped after the block.
 */
export function securedGateway(headers?: GatewayConfigInput['headers']): SecuredGateway {
  const fixture = { subgraph: new HeaderSubgraph('echo'), jwks: new JwksServer() } as SecuredGateway;
  beforeAll(async () => {
    fixture.key = await signingKey('k1');
    await Promise.all([fixture.subgraph.start(), fixture.jwks.start([fixture.key])]);
    const config: GatewayConfigInput = {
      server: { port: 0 },
      availability: { settleMs: 0, probe: { intervalMs: 100, timeoutMs: 3000 } },
      composition: { sdlRetryMs: 50 },
      limits: { rateLimit: false },
      subgraphs: { vault: { url: fixture.subgraph.url } },
      auth: {
        jwt: {
          jwksUrl: fixture.jwks.url,
          issuer: 'https://issuer.test',
          audience: 'affordance-gateway',
          clockToleranceSec: 5,
          cooldownMs: 0,
        },
      },
      headers,
    };
    fixture.gateway = await startGateway({ config: validateConfig(config), logger: silentLogger });
    await affordancesWhere(fixture.gateway, available('vault'));
  });
  afterAll(async () => {
    await fixture.gateway?.close();
    await Promise.all([fixture.subgraph.stop(), fixture.jwks.stop()]);
  });
  return fixture;
}
