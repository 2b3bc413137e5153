import type { V1Service } from '@kubernetes/client-node';
import { Annotations, discoverSubgraphs } from '../../../src/sources/kubernetes/discovery.js';

const service = (name: string, annotations: Record<string, string>, namespace = 'shop'): V1Service => ({
  metadata: { name, namespace, annotations },
  spec: { ports: [{ port: 4001 }] },
});

describe('discoverSubgraphs', () => {
  test('an annotated Service becomes a subgraph at its cluster DNS URL; defaults fill the rest', () => {
    const { subgraphs, problems } = discoverSubgraphs([
      service('reviews', { [Annotations.subgraph]: 'reviews' }),
      service('plain', {}),
    ]);
    expect(problems).toEqual([]);
    expect(subgraphs).toEqual([
      {
        name: 'reviews',
        url: 'http://reviews.shop.svc.cluster.local:4001/graphql',
        service: 'shop/reviews',
        requirements: {
          subgraph: 'reviews',
          url: 'http://reviews.shop.svc.cluster.local:4001/graphql',
          deployments: [{ namespace: 'shop', name: 'reviews', minAvailable: 1, servesSchema: true }],
          statefulSets: [],
          services: [{ namespace: 'shop', name: 'reviews' }],
        },
      },
    ]);
  });

  test('port, path, deployments, minimum and URL come from annotations', () => {
    const { subgraphs } = discoverSubgraphs([
      service('inv', {
        [Annotations.subgraph]: 'invoices',
        [Annotations.port]: '8080',
        [Annotations.path]: '/gql',
        [Annotations.deployments]: 'invoices, payments/invoices-service',
        [Annotations.minAvailable]: '2',
      }),
      service('ext', { [Annotations.subgraph]: 'ext', [Annotations.url]: 'http://127.0.0.1:9999/graphql' }),
    ]);
    expect(subgraphs[0]).toMatchObject({ name: 'ext', url: 'http://127.0.0.1:9999/graphql' });
    expect(subgraphs[1]).toMatchObject({
      name: 'invoices',
      url: 'http://inv.shop.svc.cluster.local:8080/gql',
      requirements: {
        deployments: [
          { namespace: 'shop', name: 'invoices', minAvailable: 2 },
          { namespace: 'payments', name: 'invoices-service', minAvailable: 2 },
        ],
      },
    });
  });

  test('bad annotations and duplicate names are reported, not used', () => {
    const { subgraphs, problems } = discoverSubgraphs([
      service('a', { [Annotations.subgraph]: 'Bad Name' }),
      service('b', { [Annotations.subgraph]: 'dup' }),
      service('c', { [Annotations.subgraph]: 'dup' }),
      service('d', { [Annotations.subgraph]: 'ok', [Annotations.port]: 'http' }),
      service('e', { [Annotations.subgraph]: 'affordances' }),
    ]);
    expect(subgraphs.map((s) => s.service)).toEqual(['shop/b']);
    expect(problems).toEqual([
      expect.stringMatching(/shop\/a: .*"Bad Name" is not a valid subgraph name/),
      expect.stringMatching(/shop\/c: subgraph dup is already declared by service shop\/b/),
      expect.stringMatching(/shop\/d: no usable port/),
      expect.stringMatching(/shop\/e: .*not a valid subgraph name/),
    ]);
  });
});
