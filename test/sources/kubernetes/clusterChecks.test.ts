import type { V1Deployment, V1EndpointSlice, V1StatefulSet } from '@kubernetes/client-node';
import { clusterChecks } from '../../../src/sources/kubernetes/clusterChecks.js';
import { requirementsFromConfig } from '../../../src/sources/kubernetes/requirements.js';
import { backoff } from '../../../src/platform/backoff.js';
import { validateConfig } from '../../../src/config/load.js';

const deployment = (name: string, replicas: number, available?: number): V1Deployment => ({
  metadata: { namespace: 'shop', name },
  spec: { replicas, selector: {}, template: {} },
  // availableReplicas is omitempty: absent means 0.
  status:
    available === undefined
      ? { conditions: [{ type: 'Available', status: 'True' }] }
      : { availableReplicas: available },
});
const slice = (service: string, ready: (boolean | undefined)[]): V1EndpointSlice => ({
  metadata: { namespace: 'shop', name: `${service}-x`, labels: { 'kubernetes.io/service-name': service } },
  addressType: 'IPv4',
  endpoints: ready.map((r) => ({ addresses: ['10.0.0.1'], conditions: r === undefined ? {} : { ready: r } })),
});

const config = validateConfig({
  availability: { sources: ['kubernetes'], kubernetes: { endpointSlices: true } },
  backends: { 'invoices-service': { kubernetes: { deployments: ['invoices-service'], minAvailable: 2 } } },
  subgraphs: {
    customers: { url: 'http://c/graphql', kubernetes: { deployments: ['customers'], service: 'customers' } },
    invoices: {
      url: 'http://i/graphql',
      dependsOn: ['invoices-service'],
      kubernetes: { deployments: ['other/invoices'] },
    },
  },
});
const requirements = requirementsFromConfig(config, 'shop');

describe('clusterChecks', () => {
  test('a subgraph needs its own Deployments and those of its backends, each with its minimum', () => {
    expect(requirements.find((r) => r.subgraph === 'invoices')).toEqual({
      subgraph: 'invoices',
      url: 'http://i/graphql',
      deployments: [
        { namespace: 'other', name: 'invoices', minAvailable: 1, servesSchema: true },
        {
          namespace: 'shop',
          name: 'invoices-service',
          minAvailable: 2,
          servesSchema: false,
          backend: 'invoices-service',
        },
      ],
      statefulSets: [],
      services: [],
    });
  });

  test('counts availableReplicas, missing meaning 0, and ignores the Available condition', () => {
    const checks = clusterChecks(requirements, {
      deployments: [deployment('customers', 0), deployment('invoices-service', 3, 1)],
      endpointSlices: [],
    });
    expect(checks).toEqual([
      {
        id: 'deployment shop/customers',
        subgraph: 'customers',
        ok: false,
        reason: 'deployment shop/customers has 0 of 0 replicas available',
        replicas: { available: 0, desired: 0 },
        rollout: {
          revision: 'shop/customers@:0:0:0',
          inProgress: false,
          detail: 'deployment shop/customers is rolled out',
        },
      },
      {
        id: 'endpoints shop/customers',
        subgraph: 'customers',
        ok: false,
        reason: 'service shop/customers has no ready endpoints',
        endpoints: [],
      },
      {
        id: 'deployment other/invoices',
        subgraph: 'invoices',
        ok: false,
        reason: 'deployment other/invoices does not exist',
      },
      {
        id: 'deployment shop/invoices-service',
        subgraph: 'invoices',
        backend: 'invoices-service',
        ok: false,
        reason: 'deployment shop/invoices-service has 1 of 3 replicas available (needs 2)',
        replicas: { available: 1, desired: 3 },
      },
    ]);
  });

  test('up when replicas are available; an unset ready condition counts as ready', () => {
    const checks = clusterChecks(requirements, {
      deployments: [deployment('customers', 3, 3)],
      endpointSlices: [slice('customers', [false, undefined]), slice('invoices', [true])],
    });
    expect(checks.filter((c) => c.subgraph === 'customers')).toEqual([
      expect.objectContaining({ ok: true, reason: 'deployment shop/customers has 3 of 3 replicas available' }),
      expect.objectContaining({ ok: true, reason: 'service shop/customers has 1 ready endpoint' }),
    ]);
  });

  test("a rollout of the subgraph's own Deployment is in progress until every replica is updated and available", () => {
    const rolling = (status: V1Deployment['status'], generation = 2): V1Deployment => ({
      metadata: {
        namespace: 'shop',
        name: 'customers',
        generation,
        annotations: { 'deployment.kubernetes.io/revision': '3' },
      },
      spec: { replicas: 3, selector: {}, template: {} },
      status,
    });
    const rolloutOf = (d: V1Deployment) =>
      clusterChecks(requirements, { deployments: [d] }).find((c) => c.id === 'deployment shop/customers')!.rollout!;
    const steps = [
      rolling({ observedGeneration: 1, replicas: 3, updatedReplicas: 0, availableReplicas: 3 }),
      rolling({ observedGeneration: 2, replicas: 4, updatedReplicas: 1, availableReplicas: 3 }),
      rolling({ observedGeneration: 2, replicas: 3, updatedReplicas: 3, availableReplicas: 2 }),
      rolling({ observedGeneration: 2, replicas: 3, updatedReplicas: 3, availableReplicas: 3 }),
    ].map(rolloutOf);
    expect(steps.map((r) => r.inProgress)).toEqual([true, true, true, false]);
    expect(steps[1]!.detail).toBe('deployment shop/customers revision 3 is rolling out: 1 of 3 replicas updated');
    expect(steps[3]!.detail).toBe('deployment shop/customers revision 3 is rolled out');
    // Every step is a new revision: each triggers a read of the SDL.
    expect(new Set(steps.map((r) => r.revision)).size).toBe(3);
    // A backend's Deployment says nothing of the subgraph's schema.
    const backend = clusterChecks(requirements, {
      deployments: [
        { ...deployment('invoices-service', 3, 3), metadata: { namespace: 'shop', name: 'invoices-service' } },
      ],
    }).find((c) => c.id === 'deployment shop/invoices-service');
    expect(backend?.rollout).toBeUndefined();
  });

  test("each ready endpoint is the subgraph's URL at the endpoint's address and port, named by its pod", () => {
    const checks = clusterChecks(requirements, {
      deployments: [],
      endpointSlices: [
        {
          metadata: { namespace: 'shop', name: 'customers-a', labels: { 'kubernetes.io/service-name': 'customers' } },
          addressType: 'IPv4',
          ports: [
            { name: 'metrics', port: 9100 },
            { name: 'http', port: 4001 },
          ],
          endpoints: [
            { addresses: ['10.0.0.7'], conditions: { ready: true }, targetRef: { kind: 'Pod', name: 'customers-1' } },
            { addresses: ['10.0.0.8'], conditions: { ready: false }, targetRef: { kind: 'Pod', name: 'customers-2' } },
            { addresses: ['10.0.0.9'] },
          ],
        },
      ],
    });
    expect(checks.find((c) => c.id === 'endpoints shop/customers')?.endpoints).toEqual([
      { id: 'customers-1', url: 'http://10.0.0.7:4001/graphql' },
      { id: '10.0.0.9', url: 'http://10.0.0.9:4001/graphql' },
    ]);
  });

  test("a StatefulSet (a backend's database) counts availableReplicas, else readyReplicas, against minAvailable", () => {
    const withDatabase = requirementsFromConfig(
      validateConfig({
        availability: { sources: ['kubernetes'] },
        backends: {
          postgres: { kubernetes: { statefulSets: ['postgres'] } },
          'invoices-service': { kubernetes: { deployments: ['invoices-service'], statefulSets: ['data/ledger'] } },
        },
        subgraphs: {
          customers: { url: 'http://c/graphql', dependsOn: ['postgres'], kubernetes: { deployments: ['customers'] } },
          invoices: { url: 'http://i/graphql', dependsOn: ['invoices-service'], kubernetes: { deployments: ['i'] } },
        },
      }),
      'shop',
    );
    expect(withDatabase.map((r) => [r.subgraph, r.statefulSets])).toEqual([
      ['customers', [{ namespace: 'shop', name: 'postgres', minAvailable: 1, backend: 'postgres' }]],
      ['invoices', [{ namespace: 'data', name: 'ledger', minAvailable: 1, backend: 'invoices-service' }]],
    ]);
    const statefulSet = (namespace: string, name: string, status: V1StatefulSet['status']): V1StatefulSet => ({
      metadata: { namespace, name },
      spec: { replicas: 1, selector: {}, serviceName: name, template: {} },
      status,
    });
    const checks = clusterChecks(withDatabase, {
      deployments: [deployment('customers', 1, 1)],
      statefulSets: [
        // Ready but not yet available for minReadySeconds: not counted.
        statefulSet('shop', 'postgres', { replicas: 1, readyReplicas: 1, availableReplicas: 0 }),
        // An API server that does not report availableReplicas: readyReplicas counts.
        statefulSet('data', 'ledger', { replicas: 1, readyReplicas: 1 }),
      ],
    });
    expect(checks.filter((c) => c.id.startsWith('statefulset '))).toEqual([
      {
        id: 'statefulset shop/postgres',
        subgraph: 'customers',
        backend: 'postgres',
        ok: false,
        reason: 'statefulset shop/postgres has 0 of 1 replicas available',
        replicas: { available: 0, desired: 1 },
      },
      {
        id: 'statefulset data/ledger',
        subgraph: 'invoices',
        backend: 'invoices-service',
        ok: true,
        reason: 'statefulset data/ledger has 1 of 1 replicas available',
        replicas: { available: 1, desired: 1 },
      },
    ]);
    const missing = clusterChecks(withDatabase, { deployments: [] }).find((c) => c.id === 'statefulset shop/postgres');
    expect(missing).toEqual({
      id: 'statefulset shop/postgres',
      subgraph: 'customers',
      backend: 'postgres',
      ok: false,
      reason: 'statefulset shop/postgres does not exist',
    });
  });

  test('without the EndpointSlice signal no endpoint checks are made', () => {
    const checks = clusterChecks(requirements, { deployments: [deployment('customers', 1, 1)] });
    expect(checks.map((c) => c.id)).not.toContain('endpoints shop/customers');
  });
});

describe('backoff', () => {
  test('doubles from the initial delay up to the maximum, with jitter in [d/2, d]', () => {
    expect(backoff(0, 500, 30_000, () => 1)).toBe(500);
    expect(backoff(0, 500, 30_000, () => 0)).toBe(250);
    expect(backoff(3, 500, 30_000, () => 1)).toBe(4000);
    expect(backoff(20, 500, 30_000, () => 1)).toBe(30_000);
    expect(backoff(1000, 500, 30_000, () => 0)).toBe(15_000);
  });
});
