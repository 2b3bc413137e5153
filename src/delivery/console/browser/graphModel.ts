import type { AffordancesJson, CheckJson, SubgraphJson } from './affordancesJson.js';

export type NodeKind = 'subgraph' | 'backend' | 'workload';
/**
 * up; down; rolling: a subgraph serving two versions or more; short: a workload with
 * fewer replicas available than desired, but enough for its check.
 */
export type NodeState = 'up' | 'down' | 'rolling' | 'short';

export interface GraphNode {
  /** `subgraph:customers`, `backend:invoices-service`, `workload:kubernetes deployment shop/customers`. */
  readonly key: string;
  readonly kind: NodeKind;
  readonly label: string;
  state: NodeState;
  /** The hover text, line by line: status, then the checks behind it. */
  readonly detail: string[];
  /** Keys of the nodes with an edge to this one: what depends on it. */
  readonly parents: Set<string>;
  /** The subgraphs that need it (itself, for a subgraph): what the filter matches. */
  readonly subgraphs: Set<string>;
}

const WORST: readonly NodeState[] = ['down', 'short', 'rolling', 'up'];
const worse = (a: NodeState, b: NodeState) => (WORST.indexOf(a) <= WORST.indexOf(b) ? a : b);

const checkLine = (c: CheckJson) => `${c.ok ? '\u2713' : '\u2717'} ${c.id}: ${c.reason}`;

function subgraphState(s: SubgraphJson): NodeState {
  if (!s.available) return 'down';
  return s.versions.length > 1 ? 'rolling' : 'up';
}

function workloadState(c: CheckJson): NodeState {
  if (!c.ok) return 'down';
  return c.replicas && c.replicas.available < c.replicas.desired ? 'short' : 'up';
}

/**
 * The dependency graph of the affordances: each subgraph, the backends its checks are
 * about (`backend`), and the workloads behind it or them (checks with replica counts: a
 * Deployment or StatefulSet of the Kubernetes source). A backend or workload that several
 * subgraphs need is one node, its state the worst its checks say. Pure.
 */
export function graphModel(a: AffordancesJson): Map<string, GraphNode> {
  const nodes = new Map<string, GraphNode>();
  const node = (key: string, kind: NodeKind, label: string, state: NodeState, subgraph: string): GraphNode => {
    let found = nodes.get(key);
    if (!found) {
      found = { key, kind, label, state, detail: [], parents: new Set(), subgraphs: new Set() };
      nodes.set(key, found);
    }
    found.state = worse(found.state, state);
    found.subgraphs.add(subgraph);
    return found;
  };
  const addLine = (n: GraphNode, line: string) => {
    if (!n.detail.includes(line)) n.detail.push(line);
  };
  for (const s of [...a.subgraphs].sort((x, y) => x.name.localeCompare(y.name))) {
    const own = node(`subgraph:${s.name}`, 'subgraph', s.name, subgraphState(s), s.name);
    const versions = s.versions.length > 1 ? ` (versions ${s.versions.map((v) => v.hash.slice(0, 4)).join(', ')})` : '';
    own.detail.push(`subgraph ${s.name}: ${s.available ? 'up' : 'down'}${versions} since ${s.since}`, s.reason);
    for (const c of s.checks) {
      const backend = c.backend
        ? node(`backend:${c.backend}`, 'backend', c.backend, c.ok || c.replicas ? 'up' : 'down', s.name)
        : undefined;
      if (backend) {
        backend.parents.add(own.key);
        if (!backend.detail.length) addLine(backend, `backend ${c.backend}`);
      }
      if (c.replicas) {
        const label = `${c.id} ${c.replicas.available}/${c.replicas.desired}`;
        const workload = node(`workload:${c.source} ${c.id}`, 'workload', label, workloadState(c), s.name);
        workload.parents.add((backend ?? own).key);
        addLine(workload, `${c.id}: ${c.replicas.available} of ${c.replicas.desired} replicas available`);
        addLine(workload, checkLine(c));
        if (backend && !c.ok) backend.state = 'down';
      } else addLine(backend ?? own, checkLine(c));
    }
  }
  return nodes;
}
