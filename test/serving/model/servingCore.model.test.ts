import { jest } from '@jest/globals';
import fc from 'fast-check';
import { startDeterministicSubgraph, type RunningSubgraph } from './deterministicSubgraph.js';
import type { StartGatewayUnderTest } from './gatewayInterface.js';
import { startProjectGateway } from './gatewayUnderTest.js';
import { graphArb, wideningGraph } from './generateGraph.js';
import {
  membersOf,
  runScenario,
  scenarioArb,
  summarize,
  whenServed,
  type Scenario,
  type Violation,
} from './runScenario.js';
import { normalizeAnswer, sameAnswer, StockOracle } from './stockOracle.js';
import { startStockGateway } from './stockGateway.js';

/**
 * Model-based test of the serving core. Whatever availability and SDL changes happen
 * while clients send random valid operations, every answer must equal what a stock
 * ApolloGateway over a supergraph served during that request answers, and none is a 5xx
 * or carries INVALID_GRAPHQL / INTERNAL_SERVER_ERROR.
 *
 * Default (the fast suite): a fixed seed, one run of each kind, at most 3 changes (10 to
 * 15 s on 2 cores). Longer, with up to 6 changes a run:
 *   MODEL_RUNS=50 [MODEL_SEED=123] npm test -- test/serving/model
 * MODEL_SEED replays a failure fast-check printed, with the MODEL_RUNS of the run that
 * printed it (it sets the scenarios' size); MODEL_SHRINK=1 lets it shrink (slow:
 * every shrink step starts real servers); MODEL_STEPS=availability leaves out the
 * SDL-change steps; MODEL_AS_STOCK=1 holds the project gateway only to what stock does
 * (see `gateways`); MODEL_VERBOSE=1 logs each run's steps and outcomes.
 */

const RUNS = Number(process.env.MODEL_RUNS) || 1;
/** The fast suite's one run makes at most 3 changes (about a second each); MODEL_RUNS runs up to 6. */
const MAX_STEPS = process.env.MODEL_RUNS ? 6 : 3;
/** Runs without changes: a check of the harness and the data, cheaper than the changing runs. */
const STILL_RUNS = Math.max(1, Math.floor(RUNS / 3));
const SEED = Number(process.env.MODEL_SEED) || 20_250_601;
jest.setTimeout(30_000 + RUNS * 20_000);

/**
 * The project's gateway, and a stock ApolloGateway recomposed on every change as a check
 * of the harness itself. The stock one is only held to what stock does: a request it
 * answers exactly as the oracle does (e.g. 500 INVALID_GRAPHQL for a mutation sent just
 * after the Mutation type went away) is not held against it.
 */
const gateways: [string, StartGatewayUnderTest, { stock: boolean }][] = [
  ['the project gateway', startProjectGateway, { stock: false }],
  ['a stock ApolloGateway (harness check)', startStockGateway, { stock: true }],
];

const oracle = new StockOracle();
afterAll(() => oracle.close());

async function post(url: string, query: string) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query }),
  });
  return normalizeAnswer((await response.json()) as Parameters<typeof normalizeAnswer>[0], response.status);
}

describe.each(gateways)('%s', (_label, start, { stock }) => {
  const lenient = stock || !!process.env.MODEL_AS_STOCK;
  const counted = (violations: readonly Violation[]) => violations.filter((v) => !(lenient && v.alsoStock));
  test('widening: once b is down, items(limit:) and GREEN answer at once (regression)', async () => {
    const servers: RunningSubgraph[] = [];
    try {
      for (const s of wideningGraph.subgraphs) servers.push(await startDeterministicSubgraph(s.name, s.versions[0]!));
      const gateway = await start(servers.map(({ name, url }) => ({ name, url })));
      try {
        const names = new Set(['a', 'b']);
        expect(await whenServed(gateway, (r) => membersOf(r.supergraphSdl, names).size === 2, 5000)).toBeDefined();
        gateway.setAvailable('b', false);
        const served = await whenServed(gateway, (r) => !membersOf(r.supergraphSdl, names).has('b'), 5000);
        expect(served).toBeDefined();
        for (const query of ['{ items(limit: 2) }', '{ items(color: GREEN) }']) {
          const answer = await post(gateway.url, query);
          const expected = await oracle.answer(served!.supergraphSdl, { query, variables: {} });
          expect({ query, status: answer.status, messages: answer.messages }).toEqual({
            query,
            status: 200,
            messages: [],
          });
          expect(sameAnswer(answer, expected)).toBe(true);
        }
      } finally {
        await gateway.close();
      }
    } finally {
      await Promise.all(servers.map((s) => s.close()));
    }
  });

  test('no changes: every answer equals the stock oracle', async () => {
    await fc.assert(
      fc.asyncProperty(scenarioArb(graphArb), async (scenario) => {
        const still: Scenario = { ...scenario, steps: [] };
        const result = await runScenario(start, still, oracle, { maxRequestsPerClient: 10 });
        if (counted(result.violations).length) throw new Error(summarize(counted(result.violations)));
      }),
      { seed: SEED, numRuns: STILL_RUNS, endOnFailure: !process.env.MODEL_SHRINK },
    );
  });

  test('availability and SDL changes under concurrent clients: answers linearize against the oracle', async () => {
    await fc.assert(
      fc.asyncProperty(
        scenarioArb(graphArb, { versions: process.env.MODEL_STEPS !== 'availability', maxSteps: MAX_STEPS }),
        async (scenario) => {
          const result = await runScenario(start, scenario, oracle);
          if (process.env.MODEL_VERBOSE) console.log(scenario.steps, result.requests, result.swaps, result.outcomes);
          if (counted(result.violations).length) {
            throw new Error(
              `${result.requests} requests, ${result.swaps} swaps\n${summarize(counted(result.violations))}`,
            );
          }
        },
      ),
      { seed: SEED, numRuns: RUNS, endOnFailure: !process.env.MODEL_SHRINK },
    );
  });
});
