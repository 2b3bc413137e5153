import { backendOfCheck } from '../../src/affordances/checkBackends.js';
import { validateConfig } from '../../src/config/load.js';
import { clusterChecks } from '../../src/sources/kubernetes/clusterChecks.js';
import { requirementsFromConfig } from '../../src/sources/kubernetes/requirements.js';
import { probeTargetsFromConfig } from '../../src/sources/probe/probeSource.js';

/** Two subgraphs sharing a backend, one with a backend of its own; names with and without namespace. */
const config = validateConfig({
  availability: { sources: ['probe', 'kubernetes'], kubernetes: { endpointSlices: true } },
  backends: {
    'invoices-service': {
      grpc: '127.0.0.1:1',
      kubernetes: { deployments: ['invoices-service'], service: 'invoices-service' },
    },
    ledger: { kubernetes: { deployments: ['finance/ledger'], statefulSets: ['ledger-db'] } },
  },
  subgraphs: {
    customers: { url: 'http://c/graphql', kubernetes: { deployments: ['customers'], service: 'customers' } },
    invoices: {
      url: 'http://i/graphql',
      dependsOn: ['invoices-service', 'ledger'],
      kubernetes: { deployments: ['invoices'] },
    },
    reports: { url: 'http://r/graphql', dependsOn: ['invoices-service'], kubernetes: { deployments: ['reports'] } },
  },
});

/** Every check the real sources make for this config, as `subgraph: id`. */
function checkIds(): { subgraph: string; source: string; id: string }[] {
  const targets = probeTargetsFromConfig(config);
  targets.forEach((t) => t.close());
  const probe = targets.flatMap((t) => t.subgraphs.map((subgraph) => ({ subgraph, source: 'probe', id: t.id })));
  // The namespace the source would resolve names in: not known to the config.
  const kubernetes = clusterChecks(requirementsFromConfig(config, 'shop'), {
    deployments: [],
    statefulSets: [],
    endpointSlices: [],
  }).map((c) => ({ subgraph: c.subgraph, source: 'kubernetes', id: c.id }));
  return [...probe, ...kubernetes];
}

describe('backendOfCheck', () => {
  test("names the backend of each check the sources make, and none for a subgraph's own", () => {
    const backendOf = backendOfCheck(config);
    const named = checkIds().map((c) => [c.subgraph, c.id, backendOf(c.subgraph, c) ?? null]);
    expect(named.sort()).toEqual(
      [
        ['customers', 'http customers', null],
        ['invoices', 'http invoices', null],
        ['invoices', 'grpc invoices-service', 'invoices-service'],
        ['reports', 'grpc invoices-service', 'invoices-service'],
        ['customers', 'deployment shop/customers', null],
        ['customers', 'endpoints shop/customers', null],
        ['invoices', 'deployment shop/invoices', null],
        ['invoices', 'deployment shop/invoices-service', 'invoices-service'],
        ['invoices', 'endpoints shop/invoices-service', 'invoices-service'],
        ['invoices', 'deployment finance/ledger', 'ledger'],
        ['invoices', 'statefulset shop/ledger-db', 'ledger'],
        ['reports', 'deployment shop/reports', null],
        ['reports', 'http reports', null],
        ['reports', 'deployment shop/invoices-service', 'invoices-service'],
        ['reports', 'endpoints shop/invoices-service', 'invoices-service'],
      ].sort(),
    );
  });

  test("a namespaced name matches only its namespace; other sources' and discovered subgraphs' checks are their own", () => {
    const backendOf = backendOfCheck(config);
    expect(backendOf('invoices', { source: 'kubernetes', id: 'deployment shop/ledger' })).toBeUndefined();
    expect(backendOf('invoices', { source: 'kubernetes', id: 'deployment other/invoices-service' })).toBe(
      'invoices-service',
    );
    expect(backendOf('invoices', { source: 'static', id: 'static' })).toBeUndefined();
    expect(backendOf('invoices', { source: 'circuit', id: 'circuit invoices' })).toBeUndefined();
    expect(backendOf('found', { source: 'kubernetes', id: 'deployment shop/invoices-service' })).toBeUndefined();
    // A backend the subgraph does not depend on is not its backend.
    expect(backendOf('customers', { source: 'kubernetes', id: 'deployment finance/ledger' })).toBeUndefined();
  });
});
