import { RESERVED_HEADERS, type HeaderRule, type HeadersConfig } from '../config/headerRulesSchema.js';
import type { GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { callerOf, type Claims } from './access/caller.js';

/** A client's request headers, names lower-cased (Apollo Server's HeaderMap, or a Map). */
export interface ClientHeaders extends Iterable<[string, string]> {
  get(name: string): string | null | undefined;
}

/** The headers one subgraph fetch adds, from the client's request headers and the caller's claims. */
export type HeaderPlan = (clientHeaders: ClientHeaders, claims: Claims | undefined) => Record<string, string>;

type CompiledRule = (out: Map<string, string>, client: ClientHeaders, claims: Claims | undefined) => void;

/**
 * Compiles the `headers` config (Apollo Router's propagate, insert, remove) into one plan
 * per subgraph: the rules of `all`, then the subgraph's own, applied in order to the
 * headers sent so far. A subgraph no rule applies to gets `undefined`: nothing is sent,
 * which is the default. Reserved headers (RESERVED_HEADERS) are never sent.
 */
export function compileHeaderRules(config: HeadersConfig): (subgraph: string) => HeaderPlan | undefined {
  const all = config.all.request.map(compileRule);
  const plans = new Map<string, HeaderPlan | undefined>();
  return (subgraph) => {
    if (plans.has(subgraph)) return plans.get(subgraph);
    const rules = [...all, ...(config.subgraphs[subgraph]?.request ?? []).map(compileRule)];
    const plan: HeaderPlan | undefined = rules.length
      ? (client, claims) => {
          const out = new Map<string, string>();
          for (const rule of rules) rule(out, client, claims);
          return Object.fromEntries(out);
        }
      : undefined;
    plans.set(subgraph, plan);
    return plan;
  };
}

function compileRule(rule: HeaderRule): CompiledRule {
  if ('propagate' in rule) {
    const p = rule.propagate;
    if ('named' in p) {
      return (out, client) => {
        const value = client.get(p.named) ?? p.default;
        if (value !== undefined) out.set(p.rename ?? p.named, value);
      };
    }
    const pattern = new RegExp(p.matching);
    return (out, client) => {
      for (const [name, value] of client) if (!RESERVED_HEADERS.has(name) && pattern.test(name)) out.set(name, value);
    };
  }
  if ('insert' in rule) {
    const i = rule.insert;
    if ('value' in i) return (out) => void out.set(i.name, i.value);
    return (out, _client, claims) => {
      const value = claimValue(claims?.[i.fromClaim]);
      if (value !== undefined) out.set(i.name, value);
    };
  }
  const r = rule.remove;
  if ('named' in r) return (out) => void out.delete(r.named);
  const pattern = new RegExp(r.matching);
  return (out) => {
    for (const name of [...out.keys()]) if (pattern.test(name)) out.delete(name);
  };
}

/** A claim as a header value: strings as they are, anything else as JSON; none that could split a header. */
function claimValue(claim: unknown): string | undefined {
  if (claim === undefined || claim === null) return undefined;
  const value = typeof claim === 'string' ? claim : JSON.stringify(claim);
  return /[\r\n\0]/.test(value) ? undefined : value;
}

/**
 * The headers a plan adds to one fetch: only a fetch of a client's operation has any
 * (its request headers and caller); health checks and SDL reads get none.
 */
export function propagatedHeaders(
  plan: HeaderPlan,
  options: GraphQLDataSourceProcessOptions,
): Record<string, string> | undefined {
  if (!('incomingRequestContext' in options)) return undefined;
  const client = options.incomingRequestContext.request.http?.headers ?? EMPTY;
  const caller = callerOf(options.context);
  return plan(client, caller.authenticated ? caller.claims : undefined);
}

const EMPTY: ClientHeaders = new Map<string, string>();
