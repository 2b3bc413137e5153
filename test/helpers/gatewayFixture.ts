import type { AvailabilitySource } from '../../src/availability/types.js';
import { startGateway, type RunningGateway } from '../../src/gateway/startGateway.js';
import { silentLogger } from '../../src/platform/logger.js';
import { affordancesWhere, available } from './gateway.js';
import { Backends } from './servers.js';

export interface GatewayFixtureOptions {
  /** Sources instead of the probe source the config names. */
  sources?: readonly AvailabilitySource[];
  /** Told of the gateway once it has started, before any test runs. */
  started: (gateway: RunningGateway) => void;
  /** After each test, bring customers back if the test stopped it, and wait until it is available (up and composed). */
  restoreCustomers?: boolean;
}

/**
 * The real servers and a gateway over them for one describe block: started before its
 * tests, stopped after them. Returns the servers, so tests can stop and start them.
 */
export function gatewayOverBackends(options: GatewayFixtureOptions): Backends {
  const backends = new Backends();
  let gateway: RunningGateway | undefined;
  beforeAll(async () => {
    await backends.startAll();
    gateway = await startGateway({ config: backends.gatewayConfig(), logger: silentLogger, sources: options.sources });
    options.started(gateway);
  });
  if (options.restoreCustomers) {
    afterEach(async () => {
      if (!backends.customers) await backends.startCustomers();
      await affordancesWhere(gateway!, available('customers'));
    });
  }
  afterAll(async () => {
    await gateway?.close();
    await backends.stopAll();
  });
  return backends;
}
