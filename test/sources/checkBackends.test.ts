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

/** Every check the real sources make for this config: its subgraph, its id and the backend it names. */
function checks(): (string | null)[][] {
  const targets = probeTargetsFromConfig(config);
  targets.forEach((t) => t.close());
  const probe = targets.flatMap((t) => t.subgraphs.map((subgraph) => [subgraph, t.id, t.backend ?? null]));
  // The namespace the source resolves plain names in.
  const kubernetes = clusterChecks(requirementsFromConfig(config, 'shop'), {
    deployments: [],
    statefulSets: [],
    endpointSlices: [],
  }).map((c) => [c.subgraph, c.id, c.backend ?? null]);
  return [...probe, ...kubernetes];
}

describe('the checks the sources make', () => {
  test("name the backend each is about, and none for a subgraph's own", () => {
    expect(checks().sort()).toEqual(
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
});
