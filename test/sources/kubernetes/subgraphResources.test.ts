import { subgraphsFromResources } from '../../../src/sources/kubernetes/subgraphResources.js';
import type { SubgraphResource } from '../../../src/sources/kubernetes/subgraphResource.js';

const resource = (name: string, spec: unknown, namespace = 'shop'): SubgraphResource => ({
  apiVersion: 'affordance-gateway.io/v1alpha1',
  kind: 'Subgraph',
  metadata: { name, namespace },
  spec,
});
const read = (resources: SubgraphResource[], configured: string[] = [], namespaces = ['shop', 'data']) =>
  subgraphsFromResources(resources, { namespaces, configured: new Set(configured) });

describe('subgraphsFromResources', () => {
  test('a Service and its port make the cluster DNS URL; its endpoints and Deployments are what the subgraph needs', () => {
    const { subgraphs, uses } = read([
      resource('customers', { service: { name: 'customers', port: 4001 }, kubernetes: { deployments: ['customers'] } }),
    ]);
    expect(uses.get('shop/customers')).toEqual({ kind: 'declares' });
    expect(subgraphs).toEqual([
      {
        name: 'customers',
        url: 'http://customers.shop.svc.cluster.local:4001/graphql',
        declaredBy: 'Subgraph shop/customers',
        errors: 'redact',
        requirements: {
          subgraph: 'customers',
          url: 'http://customers.shop.svc.cluster.local:4001/graphql',
          deployments: [{ namespace: 'shop', name: 'customers', minAvailable: 1, servesSchema: true }],
          statefulSets: [],
          services: [{ namespace: 'shop', name: 'customers' }],
        },
        config: expect.objectContaining({ backends: {} }),
      },
    ]);
  });

  test('a URL wins for calls; backends add their workloads (not schema-serving) and a gRPC address for the probes', () => {
    const { subgraphs } = read([
      resource('invoices', {
        url: 'http://127.0.0.1:9999/gql',
        service: { name: 'invoices', port: 4002, path: '/ignored' },
        errors: 'passthrough',
        kubernetes: { deployments: ['invoices'], minAvailable: 2 },
        backends: [
          {
            name: 'invoices-service',
            grpc: 'invoices-service:50051',
            kubernetes: { deployments: ['invoices-service'] },
          },
          { name: 'db', kubernetes: { statefulSets: ['data/postgres'], service: 'data/postgres' } },
        ],
      }),
    ]);
    const [invoices] = subgraphs;
    expect(invoices).toMatchObject({ url: 'http://127.0.0.1:9999/gql', errors: 'passthrough' });
    expect(invoices!.requirements).toEqual({
      subgraph: 'invoices',
      url: 'http://127.0.0.1:9999/gql',
      deployments: [
        { namespace: 'shop', name: 'invoices', minAvailable: 2, servesSchema: true },
        {
          namespace: 'shop',
          name: 'invoices-service',
          minAvailable: 1,
          servesSchema: false,
          backend: 'invoices-service',
        },
      ],
      statefulSets: [{ namespace: 'data', name: 'postgres', minAvailable: 1, backend: 'db' }],
      services: [
        { namespace: 'shop', name: 'invoices' },
        { namespace: 'data', name: 'postgres', backend: 'db' },
      ],
    });
    // As the config file would say it: what the probe source reads.
    expect(invoices!.config.subgraphs.invoices).toMatchObject({ dependsOn: ['invoices-service', 'db'], probe: true });
    expect(invoices!.config.backends['invoices-service']).toMatchObject({
      grpc: 'invoices-service:50051',
      healthService: '',
    });
  });

  test('what the gateway cannot use is reported per resource, and not used', () => {
    const target = { deployments: ['x'] };
    const { subgraphs, uses } = read([
      resource('a', { kubernetes: target }),
      resource('b', { service: { name: 'b', port: 6000 }, kubernetes: target }),
      resource('c', { service: { name: 'c', port: 4001 }, kubernetes: { deployments: ['elsewhere/x'] } }),
      resource('d', { service: { name: 'd', port: 4001 }, kubernetes: { deployments: ['Bad Name'] } }),
      resource('affordances', { service: { name: 'e', port: 4001 }, kubernetes: target }),
      resource('f', { url: 'http://f/graphql' }),
    ]);
    expect(subgraphs).toEqual([]);
    expect(Object.fromEntries(uses)).toEqual({
      'shop/a': { kind: 'invalid', problem: 'spec: set service (the Service in front of the subgraph) or url' },
      'shop/b': {
        kind: 'invalid',
        problem: expect.stringMatching(/^spec\.service: port 6000 is one that fetch refuses/),
      },
      'shop/c': {
        kind: 'invalid',
        problem:
          'it needs elsewhere/x, but the gateway does not watch namespace elsewhere; add it to availability.kubernetes.namespaces',
      },
      'shop/d': {
        kind: 'invalid',
        problem: 'spec.kubernetes.deployments[0]: must be a Deployment name or namespace/name',
      },
      'shop/affordances': {
        kind: 'invalid',
        problem: expect.stringMatching(/is reserved for the gateway's own subgraph/),
      },
      'shop/f': {
        kind: 'invalid',
        problem: 'nothing tells the gateway what it needs; set spec.kubernetes.deployments',
      },
    });
  });

  test('of two resources with one name the first by namespace wins; a name the config file has is shadowed', () => {
    const spec = { service: { name: 'reviews', port: 4003 }, kubernetes: { deployments: ['reviews'] } };
    const { subgraphs, uses } = read(
      [resource('reviews', spec, 'shop'), resource('reviews', spec, 'data'), resource('customers', spec)],
      ['customers'],
    );
    expect(subgraphs.map((s) => s.declaredBy)).toEqual(['Subgraph data/reviews', 'Subgraph shop/customers']);
    expect(uses.get('shop/reviews')).toEqual({ kind: 'duplicate', declaredBy: 'Subgraph data/reviews' });
    expect(uses.get('shop/customers')).toEqual({ kind: 'shadowed' });
  });
});
