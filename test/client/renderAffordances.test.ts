import type { AffordancesJson } from '../../src/client/affordancesJson.js';
import { renderAffordances } from '../../src/client/renderAffordances.js';

const SINCE = '2026-05-01T10:11:32.000Z';

const subgraph = (name: string, checks: AffordancesJson['subgraphs'][number]['checks']) => ({
  name,
  url: `http://${name}/graphql`,
  available: true,
  composed: true,
  reason: 'all checks pass',
  since: SINCE,
  checks,
  versions: [],
  rejectedVersion: null,
});

const affordances = (subgraphs: AffordancesJson['subgraphs']): AffordancesJson => ({
  schemaVersion: '1-abc',
  schemaLoadedAt: SINCE,
  available: [],
  unavailable: [],
  removed: [],
  composition: { state: 'COMPLETE', errors: [] },
  caller: null,
  subgraphs,
});

describe('renderAffordances', () => {
  test('shows the replica counts the checks carry, not what their reasons say', () => {
    const text = renderAffordances(
      affordances([
        subgraph('customers', [
          {
            source: 'kubernetes',
            id: 'deployment shop/customers',
            ok: true,
            reason: 'a reason that does not count replicas',
            since: SINCE,
            replicas: { available: 2, desired: 3 },
            backend: null,
          },
        ]),
        subgraph('invoices', [
          { source: 'probe', id: 'http invoices', ok: true, reason: 'ok', since: SINCE, replicas: null, backend: null },
        ]),
      ]),
      { url: 'http://gateway', color: false },
    );
    expect(text).toMatch(/│ customers +│ up +│ [^│]+│ 2\/3 deployment shop\/customers +│/);
    expect(text).toMatch(/│ invoices +│ up +│ [^│]+│ - +│/);
  });

  test('has no replicas column when no check counts replicas', () => {
    const text = renderAffordances(
      affordances([
        subgraph('customers', [
          {
            source: 'probe',
            id: 'http customers',
            ok: true,
            reason: 'ok',
            since: SINCE,
            replicas: null,
            backend: null,
          },
        ]),
      ]),
      { url: 'http://gateway', color: false },
    );
    expect(text).not.toContain('replicas');
  });

  test('lists what a reduced schema leaves out, and says when the previous schema is kept', () => {
    const reduced: AffordancesJson = {
      ...affordances([subgraph('b', [])]),
      removed: [
        {
          coordinate: 'Product.shipping',
          kind: 'field',
          subgraph: 'b',
          needs: { subgraph: 'a', coordinate: 'Product.price' },
          reason: 'Product.shipping requires Product.price from subgraph a, which is down (static: set down)',
        },
      ],
      composition: { state: 'REDUCED', errors: [] },
    };
    const text = renderAffordances(reduced, { url: 'http://gateway', color: false });
    expect(text).toMatch(/^Left out \(1\): they need what is down$/m);
    expect(text).toMatch(/│ Product\.shipping +│ field +│ b +│ Product\.shipping requires Product\.price/);
    expect(renderAffordances(affordances([]), { url: 'http://gateway', color: false })).not.toContain('Left out');

    const kept = { ...affordances([]), composition: { state: 'PREVIOUS' as const, errors: ['INVALID_FIELD_SHARING'] } };
    expect(renderAffordances(kept, { url: 'http://gateway', color: false })).toMatch(
      /previous schema is served: INVALID_FIELD_SHARING$/,
    );
  });
});
