import { composeServices } from '@apollo/composition';
import fc from 'fast-check';
import { lexicographicSortSchema, parse, printSchema, validate } from 'graphql';
import { startDeterministicSubgraph, type RunningSubgraph } from './deterministicSubgraph.js';
import type { GatewayUnderTest, ServedRecord, StartGatewayUnderTest } from './gatewayInterface.js';
import type { FederatedGraph } from './generateGraph.js';
import { apiSchemaOf, generateOperation, type GeneratedOperation } from './generateOperation.js';
import { seededRandom } from '../../helpers/seededRandom.js';
import { normalizeAnswer, sameAnswer, type Answer, type StockOracle } from './stockOracle.js';

/**
 * One model run: real subgraph servers (every version its own server), a gateway over
 * them, a sequence of availability and SDL-change steps, and concurrent clients sending
 * random operations generated from the schema served when they pick them. Afterwards
 * every answer is checked against the stock oracle, linearizability-style: it must equal
 * the oracle's answer over some supergraph served during [sent, answered].
 */

/** A change the driver makes: a subgraph marked down or up, or switched to another version. */
export type Step =
  | { readonly kind: 'down' | 'up'; readonly subgraph: string }
  | { readonly kind: 'version'; readonly subgraph: string; readonly version: number };

export interface Scenario {
  readonly graph: FederatedGraph;
  readonly steps: readonly Step[];
  /** One seed per concurrent client. */
  readonly clientSeeds: readonly number[];
}

/** Something the gateway did that the model forbids. */
export interface Violation {
  readonly kind: 'http-5xx' | 'forbidden-code' | 'mismatch' | 'no-convergence' | 'transport';
  readonly detail: string;
  /** The stock gateway gives the same answer over a supergraph served during the request. */
  readonly alsoStock?: boolean;
}

export interface RunOptions {
  /** Requests each client sends at most. Default 25. */
  readonly maxRequestsPerClient?: number;
  /**
   * How long a step may take to show in the served supergraph: a generous sanity bound, not
   * a speed target (a build of a superseded supergraph finishes first, and on a loaded
   * 2-core machine one took 8 s). Default 10000.
   */
  readonly convergeTimeoutMs?: number;
}

export interface RunResult {
  readonly violations: readonly Violation[];
  readonly requests: number;
  readonly swaps: number;
  /** Answers by outcome: data without errors, rejected before execution, anything else. */
  readonly outcomes: { readonly data: number; readonly rejected: number; readonly other: number };
}

/** Turns raw choices into a valid step sequence: never all subgraphs down, versions that exist. */
function normalizeSteps(
  graph: FederatedGraph,
  raw: readonly { op: 'toggle' | 'version'; index: number; pick: number }[],
) {
  const up = new Set(graph.subgraphs.map((s) => s.name));
  const version = new Map(graph.subgraphs.map((s) => [s.name, 0]));
  const steps: Step[] = [];
  for (const { op, index, pick } of raw) {
    const subgraph = graph.subgraphs[index % graph.subgraphs.length]!;
    const count = subgraph.versions.length;
    if (op === 'version' && count > 1) {
      const next = (version.get(subgraph.name)! + 1 + (pick % (count - 1))) % count;
      version.set(subgraph.name, next);
      steps.push({ kind: 'version', subgraph: subgraph.name, version: next });
    } else if (!up.has(subgraph.name)) {
      up.add(subgraph.name);
      steps.push({ kind: 'up', subgraph: subgraph.name });
    } else if (up.size > 1) {
      up.delete(subgraph.name);
      steps.push({ kind: 'down', subgraph: subgraph.name });
    }
  }
  return steps;
}

/**
 * Scenarios over graphs from `graphs`: 2 to `maxSteps` steps (default 6; SDL changes among them
 * unless `versions` is false), 4 clients.
 */
export const scenarioArb = (
  graphs: fc.Arbitrary<FederatedGraph>,
  { versions = true, maxSteps = 6 } = {},
): fc.Arbitrary<Scenario> =>
  graphs.chain((graph) =>
    fc
      .record({
        raw: fc.array(
          fc.record({
            op: versions ? fc.constantFrom('toggle' as const, 'version' as const) : fc.constant('toggle' as const),
            index: fc.nat(),
            pick: fc.nat(),
          }),
          { minLength: 2, maxLength: maxSteps },
        ),
        clientSeeds: fc.array(fc.nat(), { minLength: 4, maxLength: 4 }),
      })
      .map(({ raw, clientSeeds }) => withReadableString({ graph, steps: normalizeSteps(graph, raw), clientSeeds })),
  );

/** Makes fast-check print a counterexample as readable SDL and steps, not escaped JSON. */
function withReadableString(scenario: Scenario): Scenario {
  const text = () =>
    [
      ...scenario.graph.subgraphs.flatMap((s) =>
        s.versions.map((sdl, v) => `# subgraph ${s.name}, version ${v}\n${sdl}`),
      ),
      `# steps ${JSON.stringify(scenario.steps)}`,
      `# client seeds ${JSON.stringify(scenario.clientSeeds)}`,
    ].join('\n');
  return Object.defineProperty(scenario, fc.toStringMethod, { value: text, enumerable: false });
}

/** The model subgraphs in a supergraph: name → URL, from its join__Graph enum. */
export function membersOf(supergraphSdl: string, names: ReadonlySet<string>): Map<string, string> {
  const members = new Map<string, string>();
  for (const [, name, url] of supergraphSdl.matchAll(/@join__graph\(name: "([^"]+)", url: "([^"]*)"\)/g)) {
    if (names.has(name!)) members.set(name!, url!);
  }
  return members;
}

const sortedApi = (supergraphSdl: string) => printSchema(lexicographicSortSchema(apiSchemaOf(supergraphSdl)));

const sameMembers = (a: ReadonlyMap<string, string>, b: ReadonlyMap<string, string>) =>
  a.size === b.size && [...a].every(([name, url]) => b.get(name) === url);

/** Resolves with the first served supergraph (current or later) that satisfies `predicate`, or undefined after `timeoutMs`. */
export function whenServed(
  gateway: GatewayUnderTest,
  predicate: (record: ServedRecord) => boolean,
  timeoutMs: number,
): Promise<ServedRecord | undefined> {
  return new Promise((resolve) => {
    const done = (record: ServedRecord | undefined) => {
      clearTimeout(timer);
      unsubscribe();
      resolve(record);
    };
    const timer = setTimeout(() => done(undefined), timeoutMs);
    const unsubscribe = gateway.onServed((record) => predicate(record) && done(record));
    const current = gateway.servedHistory.at(-1);
    if (current && predicate(current)) done(current);
  });
}

/** One request as a client saw it. */
interface Exchange {
  readonly operation: GeneratedOperation;
  readonly sentAt: bigint;
  readonly answeredAt: bigint;
  readonly answer?: Answer;
  readonly failure?: string;
}

/** POSTs `operation` and records what came back and when. */
async function exchange(url: string, operation: GeneratedOperation): Promise<Exchange> {
  const sentAt = process.hrtime.bigint();
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(operation),
    });
    const text = await response.text();
    const answeredAt = process.hrtime.bigint();
    try {
      return { operation, sentAt, answeredAt, answer: normalizeAnswer(JSON.parse(text), response.status) };
    } catch {
      return { operation, sentAt, answeredAt, failure: `${response.status} non-JSON body: ${text.slice(0, 200)}` };
    }
  } catch (error) {
    return { operation, sentAt, answeredAt: process.hrtime.bigint(), failure: String(error) };
  }
}

/** A random operation for the schema served right now. */
function nextOperation(gateway: GatewayUnderTest, random: () => number): GeneratedOperation {
  const schema = apiSchemaOf(gateway.servedHistory.at(-1)!.supergraphSdl);
  return generateOperation(schema, random, { skipRootFields: gateway.ownRootFields });
}

/** A random operation for the schema served now that the one served `before` rejects; any, after 30 tries. */
function newOperation(gateway: GatewayUnderTest, before: string, random: () => number): GeneratedOperation {
  const previous = apiSchemaOf(before);
  let operation = nextOperation(gateway, random);
  for (let i = 0; i < 30 && validate(previous, parse(operation.query)).length === 0; i++) {
    operation = nextOperation(gateway, random);
  }
  return operation;
}

/** The supergraphs served at some moment of [from, to]. */
function servedDuring(history: readonly ServedRecord[], from: bigint, to: bigint): string[] {
  let first = 0;
  history.forEach((record, i) => {
    if (record.at <= from) first = i;
  });
  return history
    .slice(first)
    .filter((r, i) => i === 0 || r.at <= to)
    .map((r) => r.supergraphSdl);
}

const describeExchange = (e: Exchange) =>
  `${e.operation.query} variables=${JSON.stringify(e.operation.variables)} → ${
    e.answer
      ? `${e.answer.status} ${e.answer.codes.join(',') || 'no errors'} ${e.answer.data.slice(0, 300)} ${e.answer.messages.join(' | ').slice(0, 300)}`
      : e.failure
  }`;

/** Checks one exchange against the oracle over every supergraph served during it. */
export async function checkExchange(
  e: Exchange,
  history: readonly ServedRecord[],
  oracle: StockOracle,
): Promise<Violation[]> {
  if (!e.answer) return [{ kind: 'transport', detail: describeExchange(e) }];
  const answer = e.answer;
  const candidates = servedDuring(history, e.sentAt, e.answeredAt);
  const expected = await Promise.all(candidates.map((sdl) => oracle.answer(sdl, e.operation)));
  const alsoStock = expected.some((o) => sameAnswer(o, answer) && o.status === answer.status);
  const violations: Violation[] = [];
  const detail = `${describeExchange(e)}${alsoStock ? ' (the stock gateway answers the same)' : ''}`;
  if ((answer.status ?? 200) >= 500) violations.push({ kind: 'http-5xx', detail, alsoStock });
  if (answer.codes.some((c) => c === 'INVALID_GRAPHQL' || c === 'INTERNAL_SERVER_ERROR')) {
    violations.push({ kind: 'forbidden-code', detail, alsoStock });
  }
  // Stock answers 500 INVALID_GRAPHQL for an operation its schema cannot run (a mutation
  // once no subgraph with mutations is composed: graphql-js 16 validates no root types);
  // a rejection before execution is the right answer to it, and what the project gives.
  const refused = (o: Answer) => o.rejected || (o.data === 'undefined' && o.codes.includes('INVALID_GRAPHQL'));
  if (!expected.some((o) => sameAnswer(o, answer) || (answer.rejected && refused(o)))) {
    const oracles = expected.map(
      (o, i) =>
        `  oracle over served #${history.findIndex((h) => h.supergraphSdl === candidates[i])}: ${o.status ?? ''} ${o.codes.join(',') || 'no errors'} ${o.data.slice(0, 300)}`,
    );
    violations.push({ kind: 'mismatch', detail: `${describeExchange(e)}\n${oracles.join('\n')}` });
  }
  return violations;
}

/** Runs `scenario` against the gateway `start` starts and returns what it did wrong. */
export async function runScenario(
  start: StartGatewayUnderTest,
  scenario: Scenario,
  oracle: StockOracle,
  options: RunOptions = {},
): Promise<RunResult> {
  const maxRequests = options.maxRequestsPerClient ?? 25;
  const convergeTimeoutMs = options.convergeTimeoutMs ?? 10_000;
  const { graph } = scenario;
  const names = new Set(graph.subgraphs.map((s) => s.name));
  const servers = new Map<string, RunningSubgraph[]>();
  const violations: Violation[] = [];
  const exchanges: Exchange[] = [];
  let gateway: GatewayUnderTest | undefined;
  try {
    for (const subgraph of graph.subgraphs) {
      servers.set(
        subgraph.name,
        await Promise.all(subgraph.versions.map((sdl) => startDeterministicSubgraph(subgraph.name, sdl))),
      );
    }
    const up = new Set(names);
    const version = new Map([...names].map((name) => [name, 0]));
    const urlOf = (name: string) => servers.get(name)![version.get(name)!]!.url;
    const started = performance.now();
    gateway = await start(graph.subgraphs.map((s) => ({ name: s.name, url: urlOf(s.name) })));
    const gatewayStarted = performance.now();
    const running = gateway;

    /** Waits until the served supergraph is the composition of the model's state, when that composes. */
    const converge = async (what: string) => {
      const sdlOf = (name: string) => graph.subgraphs.find((s) => s.name === name)!.versions[version.get(name)!]!;
      const services = [
        ...running.ownSubgraphs,
        ...[...up].sort().map((name) => ({ name, url: urlOf(name), sdl: sdlOf(name) })),
      ].map(({ name, url, sdl }) => ({ name, url, typeDefs: parse(sdl) }));
      const composed = composeServices(services);
      if (composed.errors) return;
      const members = new Map([...up].map((name) => [name, urlOf(name)]));
      const api = sortedApi(composed.supergraphSdl);
      const matches = (r: ServedRecord) =>
        sameMembers(membersOf(r.supergraphSdl, names), members) && sortedApi(r.supergraphSdl) === api;
      if (await whenServed(running, matches, convergeTimeoutMs)) return;
      const served = running.servedHistory.at(-1)!;
      violations.push({
        kind: 'no-convergence',
        detail: `${what}: after ${convergeTimeoutMs} ms the gateway serves ${JSON.stringify([...membersOf(served.supergraphSdl, names)])}${
          sortedApi(served.supergraphSdl) === api ? '' : ' with another API schema'
        }, expected ${JSON.stringify([...members])}`,
      });
    };
    await converge('start');
    const converged = performance.now();

    let stopped = false;
    let answered = 0;
    const progress = new Set<() => void>();
    const record = (e: Exchange) => {
      exchanges.push(e);
      answered++;
      for (const wake of progress) wake();
    };
    const client = async (seed: number) => {
      const random = seededRandom(seed);
      for (let i = 0; i < maxRequests && !stopped; i++)
        record(await exchange(running.url, nextOperation(running, random)));
    };
    let clientsLeft = scenario.clientSeeds.length;
    const clients = scenario.clientSeeds.map((seed) =>
      client(seed).finally(() => {
        clientsLeft--;
        for (const wake of progress) wake();
      }),
    );
    /** Resolves once `count` more answers are in, or no client is left to send them. */
    const answersMore = (count: number) => {
      const target = answered + count;
      return new Promise<void>((resolve) => {
        const wake = () => {
          if (answered < target && clientsLeft > 0) return;
          progress.delete(wake);
          resolve();
        };
        progress.add(wake);
        wake();
      });
    };
    const burstRandom = seededRandom((scenario.clientSeeds[0] ?? 0) + 1);
    for (const step of scenario.steps) {
      const before = running.servedHistory.at(-1)!.supergraphSdl;
      if (step.kind === 'version') {
        version.set(step.subgraph, step.version);
        running.setVersion(step.subgraph, urlOf(step.subgraph));
      } else {
        if (step.kind === 'up') up.add(step.subgraph);
        else up.delete(step.subgraph);
        running.setAvailable(step.subgraph, step.kind === 'up');
      }
      await converge(JSON.stringify(step));
      // Right after the swap: operations only the new schema allows, when there are some.
      const burst = scenario.clientSeeds.map(() => newOperation(running, before, burstRandom));
      (await Promise.all(burst.map((op) => exchange(running.url, op)))).forEach(record);
      await answersMore(scenario.clientSeeds.length);
    }
    stopped = true;
    await Promise.all(clients);
    const stepped = performance.now();
    for (const e of exchanges) violations.push(...(await checkExchange(e, running.servedHistory, oracle)));
    if (process.env.MODEL_VERBOSE)
      console.log('ms', {
        start: gatewayStarted - started,
        firstSupergraph: converged - gatewayStarted,
        steps: stepped - converged,
        check: performance.now() - stepped,
      });
    const outcomes = { data: 0, rejected: 0, other: 0 };
    for (const { answer } of exchanges) {
      if (answer?.rejected) outcomes.rejected++;
      else if (answer && answer.codes.length === 0 && answer.data !== 'null') outcomes.data++;
      else outcomes.other++;
    }
    return { violations, requests: exchanges.length, swaps: running.servedHistory.length - 1, outcomes };
  } finally {
    await gateway?.close();
    await Promise.all([...servers.values()].flat().map((s) => s.close()));
  }
}

/** A failure message: violations by kind, with a few examples of each. */
export function summarize(violations: readonly Violation[]): string {
  const kinds = new Map<string, Violation[]>();
  for (const v of violations) kinds.set(v.kind, [...(kinds.get(v.kind) ?? []), v]);
  return [...kinds]
    .map(
      ([kind, list]) =>
        `${list.length} × ${kind}\n${list
          .slice(0, 3)
          .map((v) => `  - ${v.detail.slice(0, 1500)}`)
          .join('\n')}`,
    )
    .join('\n');
}
