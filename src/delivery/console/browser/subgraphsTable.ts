import type { AffordancesJson, SubgraphJson } from './affordancesJson.js';
import { $, badge, h, time } from './dom.js';

/**
 * "2/3 deployment shop/customers" for every check that counts replicas (Kubernetes), and
 * during a rollout the versions serving ("versions 3f1c ×2, 9ab2 ×1").
 */
function replicas(subgraph: SubgraphJson): string {
  const found = subgraph.checks.flatMap(({ id, replicas }) =>
    replicas ? [`${replicas.available}/${replicas.desired} ${id}`] : [],
  );
  if (subgraph.versions.length > 1) {
    const versions = subgraph.versions.map((v) => `${v.hash.slice(0, 4)}${v.endpoints ? ` \u00d7${v.endpoints}` : ''}`);
    found.push(`versions ${versions.join(', ')}`);
  }
  return found.length ? found.join(', ') : '\u2014';
}

/** The subgraphs table: status, since when, replicas and reason of each. */
export function renderSubgraphs(a: AffordancesJson): void {
  $('subgraphs-body').replaceChildren(
    ...a.subgraphs.map((s) =>
      h(
        'tr',
        { 'data-subgraph': s.name, 'data-status': s.available ? 'up' : 'down' },
        h('th', { scope: 'row', className: 'name', text: s.name }),
        h('td', null, badge(s.available, 'up', 'down')),
        h('td', null, time(s.since)),
        h('td', { text: replicas(s) }),
        h('td', { className: 'reason', text: s.reason }),
      ),
    ),
  );
  const down = a.subgraphs.filter((s) => !s.available).length;
  $('subgraphs-summary').textContent = `${a.subgraphs.length} subgraphs, ${down} down`;
}
