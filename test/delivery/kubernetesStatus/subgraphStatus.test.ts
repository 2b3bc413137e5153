import type { Affordances, SubgraphStatus } from '../../../src/affordances/types.js';
import type { SourcedCheck, SubgraphAvailability } from '../../../src/availability/types.js';
import type { CompositionStatus } from '../../../src/composition/supergraphManager.js';
import { subgraphStatus, type SubgraphStatusInput } from '../../../src/delivery/kubernetesStatus/subgraphStatus.js';
import { transitionEvent } from '../../../src/delivery/kubernetesStatus/transitionEvent.js';
import type { SubgraphCondition, SubgraphResource } from '../../../src/sources/kubernetes/subgraphResource.js';

const T0 = '2026-01-01T00:00:00Z';
const now = new Date('2026-01-01T00:05:00.250Z');
const resource = (conditions?: SubgraphCondition[]): SubgraphResource => ({
  metadata: { name: 'customers', namespace: 'shop', generation: 4 },
  status: conditions ? { conditions } : undefined,
});
const check = (overrides: Partial<SourcedCheck>): SourcedCheck => ({
  source: 'kubernetes',
  id: 'deployment shop/customers',
  subgraph: 'customers',
  ok: true,
  reason: 'deployment shop/customers has 3 of 3 replicas available',
  since: new Date(0),
  replicas: { available: 3, desired: 3 },
  ...overrides,
});
const verdict = (
  available: boolean,
  checks: SourcedCheck[],
  extra: Partial<SubgraphAvailability> = {},
): SubgraphAvailability => ({
  name: 'customers',
  available,
  reason: available
    ? 'all checks pass'
    : checks
        .filter((c) => !c.ok)
        .map((c) => c.reason)
        .join('; '),
  since: new Date(0),
  checks,
  ...extra,
});
const served = (composed: boolean, reason: string, extra: Partial<SubgraphStatus> = {}): SubgraphStatus => ({
  name: 'customers',
  url: 'http://customers.shop.svc.cluster.local:4001/graphql',
  available: composed,
  composed,
  reason,
  since: T0,
  checks: [],
  versions: composed ? [{ hash: 'abc', endpoints: 3 }] : [],
  rejectedVersion: undefined,
  ...extra,
});
const affordances = (status: SubgraphStatus | undefined, unavailable: string[] = []): Affordances => ({
  schemaVersion: '1-x',
  schemaLoadedAt: T0,
  available: [],
  unavailable: unavailable.map((name) => ({
    name,
    kind: name.startsWith('create') ? 'MUTATION' : 'QUERY',
    subgraph: 'customers',
    arguments: [],
    returnType: 'X',
    reason: 'down',
    reasonKind: 'SUBGRAPH_DOWN',
    since: T0,
  })),
  subgraphs: status ? [status] : [],
  removed: [],
  composition: { state: 'COMPLETE', errors: [] },
});
const noComposition: CompositionStatus = { subgraphs: new Map() };
const input = (overrides: Partial<SubgraphStatusInput>): SubgraphStatusInput => ({
  resource: resource(),
  use: { kind: 'declares' },
  availability: verdict(true, [check({})]),
  affordances: affordances(served(true, 'all checks pass')),
  composition: noComposition,
  now,
  ...overrides,
});
const conditions = (i: SubgraphStatusInput) => {
  const [available, composed] = subgraphStatus(i).conditions!.map((c) => [c.status, c.reason, c.message]);
  return { Available: available!, Composed: composed! };
};

describe('subgraphStatus', () => {
  test('up and composed: both conditions True, with the replicas, versions and generation seen', () => {
    expect(subgraphStatus(input({}))).toEqual({
      observedGeneration: 4,
      conditions: [
        {
          type: 'Available',
          status: 'True',
          reason: 'ChecksPass',
          message: 'all checks pass',
          lastTransitionTime: '2026-01-01T00:05:00Z',
          observedGeneration: 4,
        },
        {
          type: 'Composed',
          status: 'True',
          reason: 'Composed',
          message: 'all checks pass',
          lastTransitionTime: '2026-01-01T00:05:00Z',
          observedGeneration: 4,
        },
      ],
      url: 'http://customers.shop.svc.cluster.local:4001/graphql',
      replicas: [{ workload: 'deployment shop/customers', available: 3, desired: 3 }],
      versions: [{ hash: 'abc', endpoints: 3 }],
      unavailableOperations: [],
    });
  });

  test('lastTransitionTime stays while a condition keeps its status, and moves when it changes', () => {
    const before = [
      {
        type: 'Available' as const,
        status: 'True' as const,
        reason: 'ChecksPass',
        message: 'x',
        lastTransitionTime: T0,
      },
      { type: 'Composed' as const, status: 'True' as const, reason: 'Composed', message: 'x', lastTransitionTime: T0 },
    ];
    const down = input({
      resource: resource(before),
      availability: verdict(false, [
        check({
          ok: false,
          reason: 'deployment shop/customers has 0 of 3 replicas available',
          replicas: { available: 0, desired: 3 },
        }),
      ]),
    });
    // The verdict changed, the served schema not yet: Available moves, Composed keeps its time.
    const [available, composed] = subgraphStatus(down).conditions!;
    expect(available).toMatchObject({
      status: 'False',
      reason: 'ReplicasUnavailable',
      lastTransitionTime: '2026-01-01T00:05:00Z',
    });
    expect(composed).toMatchObject({ status: 'True', lastTransitionTime: T0 });
  });

  test('why it is not available, from the failing checks; why not composed, from the composition', () => {
    const endpoints = check({
      id: 'endpoints shop/customers',
      ok: false,
      reason: 'service shop/customers has no ready endpoints',
      replicas: undefined,
      endpoints: [],
    });
    const notComposed = (reason: string) => ({
      affordances: affordances(served(false, reason), ['customers', 'createCustomer', 'customer']),
    });
    expect(conditions(input({ availability: verdict(false, [endpoints]), ...notComposed('r') }))).toEqual({
      Available: ['False', 'NoReadyEndpoints', 'service shop/customers has no ready endpoints'],
      Composed: ['False', 'NoReadyEndpoints', 'r'],
    });
    const settling = verdict(false, [check({})], { reason: 'up again, settling', settlingUntil: new Date() });
    expect(conditions(input({ availability: settling, ...notComposed('r') })).Available).toEqual([
      'False',
      'Settling',
      'up again, settling',
    ]);
    const probe = check({
      source: 'probe',
      id: 'http customers',
      ok: false,
      reason: 'connection refused',
      replicas: undefined,
    });
    expect(conditions(input({ availability: verdict(false, [probe]), ...notComposed('r') })).Available[1]).toBe(
      'ChecksFailing',
    );

    const composition = (status: Partial<CompositionStatus>): CompositionStatus => ({
      subgraphs: new Map(),
      ...status,
    });
    const sdl: CompositionStatus = {
      subgraphs: new Map([
        [
          'customers',
          {
            name: 'customers',
            url: '',
            availability: verdict(true, []),
            sdlError: 'timeout',
            composable: false,
            versions: [],
          },
        ],
      ]),
    };
    expect(conditions(input({ composition: sdl, ...notComposed('SDL not read: timeout') })).Composed).toEqual([
      'False',
      'SDLNotRead',
      'SDL not read: timeout',
    ]);
    const dropped = composition({ reduction: { removed: [], dropped: [{ name: 'customers', errors: [] }] } });
    expect(conditions(input({ composition: dropped, ...notComposed('left out') })).Composed[1]).toBe('DoesNotCompose');
    const failed = composition({ failure: { subgraphs: ['customers'], errors: ['e'] } });
    expect(conditions(input({ composition: failed, ...notComposed('failed') })).Composed[1]).toBe('CompositionFailed');
    expect(conditions(input({ ...notComposed('being composed') })).Composed[1]).toBe('Pending');
    expect(
      subgraphStatus(input({ availability: verdict(false, [endpoints]), ...notComposed('r') })).unavailableOperations,
    ).toEqual(['Mutation.createCustomer', 'Query.customer', 'Query.customers']);
  });

  test('composed with parts left out: Reduced, or RollingOut while versions differ', () => {
    const removal = (rule: 'versions' | 'emptied') => ({
      kind: 'field' as const,
      coordinate: 'Customer.phone',
      subgraph: 'customers',
      cause: rule === 'versions' ? { rule, serving: 'a, b', detail: 'd' } : { rule },
      needs: undefined,
      reason: 'r',
    });
    const reduced = (rule: 'versions' | 'emptied'): CompositionStatus => ({
      subgraphs: new Map(),
      reduction: { removed: [removal(rule)], dropped: [] },
    });
    expect(conditions(input({ composition: reduced('versions') })).Composed[1]).toBe('RollingOut');
    expect(conditions(input({ composition: reduced('emptied') })).Composed[1]).toBe('Reduced');
    const rejected = affordances(served(true, 'r', { rejectedVersion: { hash: 'def', errors: ['e'] } }));
    expect(conditions(input({ affordances: rejected })).Composed[1]).toBe('VersionRejected');
  });

  test('a resource the gateway does not use says why in both conditions, and nothing else', () => {
    const shadowed = subgraphStatus(input({ use: { kind: 'shadowed' } }));
    expect(shadowed.conditions!.map((c) => [c.type, c.status, c.reason])).toEqual([
      ['Available', 'Unknown', 'ConfigFileWins'],
      ['Composed', 'Unknown', 'ConfigFileWins'],
    ]);
    expect(shadowed).toMatchObject({ replicas: [], versions: [], unavailableOperations: [] });
    expect(shadowed.url).toBeUndefined();
    expect(conditions(input({ use: { kind: 'invalid', problem: 'spec.url: bad' } })).Available).toEqual([
      'Unknown',
      'InvalidSpec',
      'not used: spec.url: bad',
    ]);
    expect(conditions(input({ use: { kind: 'duplicate', declaredBy: 'Subgraph data/customers' } })).Composed).toEqual([
      'Unknown',
      'DuplicateName',
      'not used: Subgraph data/customers already declares subgraph customers',
    ]);
    expect(conditions(input({ availability: undefined, affordances: affordances(undefined) }))).toEqual({
      Available: ['Unknown', 'Pending', 'the gateway has no verdict on it yet'],
      Composed: ['Unknown', 'Pending', 'the gateway has not composed it yet'],
    });
  });
});

describe('transitionEvent', () => {
  const composed = (status: SubgraphCondition['status'], reason = 'Composed', message = 'm'): SubgraphCondition => ({
    type: 'Composed',
    status,
    reason,
    message,
    lastTransitionTime: T0,
  });

  test('a drop and a re-add are Events; a repeated or reworded state is not', () => {
    expect(
      transitionEvent(
        composed('True'),
        composed('False', 'ReplicasUnavailable', 'deployment shop/customers has 0 of 3 replicas available'),
      ),
    ).toEqual({
      type: 'Warning',
      reason: 'Dropped',
      action: 'Drop',
      note: 'Dropped: deployment shop/customers has 0 of 3 replicas available',
    });
    expect(transitionEvent(composed('False'), composed('True'))).toEqual({
      type: 'Normal',
      reason: 'Composed',
      action: 'Compose',
      note: 'Composed',
    });
    expect(transitionEvent(undefined, composed('True'))).toMatchObject({ reason: 'Composed' });
    expect(transitionEvent(undefined, composed('False', 'SDLNotRead', 'SDL not read'))).toMatchObject({
      reason: 'NotComposed',
      note: 'Not composed: SDL not read',
    });
    expect(transitionEvent(composed('True'), composed('True', 'Reduced'))).toBeUndefined();
    expect(
      transitionEvent(composed('False', 'NoReadyEndpoints'), composed('False', 'ReplicasUnavailable')),
    ).toBeUndefined();
  });

  test('a resource the gateway stops using is an Event; waiting for a verdict is not', () => {
    expect(transitionEvent(composed('True'), composed('Unknown', 'InvalidSpec', 'not used: x'))).toEqual({
      type: 'Warning',
      reason: 'InvalidSpec',
      action: 'Ignore',
      note: 'not used: x',
    });
    expect(transitionEvent(composed('Unknown', 'InvalidSpec'), composed('Unknown', 'InvalidSpec'))).toBeUndefined();
    expect(transitionEvent(undefined, composed('Unknown', 'Pending'))).toBeUndefined();
  });
});
