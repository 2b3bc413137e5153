import { jest } from '@jest/globals';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse } from 'graphql';
import type { History, HistoryEntry } from '../../src/affordances/types.js';
import { validateConfig } from '../../src/config/load.js';
import { startGateway, type RunningGateway } from '../../src/gateway/startGateway.js';
import { ErrorCode } from '../../src/platform/errorCodes.js';
import { silentLogger } from '../../src/platform/logger.js';
import { StaticSource } from '../../src/sources/staticSource.js';
import { GatewayClient } from '../../src/client/gatewayClient.js';
import { historyCommand } from '../../src/client/historyCommand.js';
import { ExitCode } from '../../src/client/exitCodes.js';
import { CaptureTerminal } from '../client/captureTerminal.js';
import { SseConnection } from '../delivery/stream/sseConnection.js';
import { affordancesWhere, available, composed } from '../helpers/gateway.js';
import { gql } from '../helpers/graphql.js';
import { federationLink, serveSchemas } from '../helpers/subgraphServers.js';

jest.setTimeout(20_000);

const HISTORY = `query History($since: String, $subgraph: String) { affordances { history(since: $since, subgraph: $subgraph) {
  since retainedSince
  entries { at subgraph changes available composed versions reason }
  subgraphs { subgraph available availableAtSince windows { window unavailableMs drops } }
} } }`;

const subgraph = (field: string) =>
  buildSubgraphSchema({
    typeDefs: parse(`${federationLink([])}\ntype Query { ${field}: Int }`),
    resolvers: { Query: { [field]: () => 1 } },
  });

describe('affordances { history } on a gateway', () => {
  const source = new StaticSource({ a: true, b: true });
  let gateway: RunningGateway;
  let served: Awaited<ReturnType<typeof serveSchemas>>;
  const history = async (variables: Record<string, string> = {}) => {
    const answer = await gql<{ affordances: { history: History } }>(gateway.url, HISTORY, variables);
    expect(answer.errors).toBeUndefined();
    return answer.data!.affordances.history;
  };

  beforeAll(async () => {
    served = await serveSchemas({ a: subgraph('aTop'), b: subgraph('bTop') });
    const config = validateConfig({ server: { port: 0 }, limits: { rateLimit: false }, subgraphs: served.subgraphs });
    gateway = await startGateway({ config, logger: silentLogger, sources: [source] });
    await affordancesWhere(gateway, (a) => available('a')(a) && available('b')(a));
  });
  afterAll(async () => {
    await gateway?.close();
    await served?.close();
  });

  test('a drop and a return: entries with reasons, figures, the change stream and the metrics', async () => {
    const stream = await SseConnection.open(`${gateway.url}/affordances/stream`);
    await stream.nextEvent();
    const start = await history();
    expect(start.entries.filter((e) => e.subgraph === 'a' && e.available).length).toBeGreaterThan(0);

    source.set('a', false, 'readiness probe failing');
    await affordancesWhere(gateway, composed('a', false));
    const dropped = await stream.nextEvent<HistoryEntry[]>(
      (entries) => entries.some((e) => e.subgraph === 'a' && e.changes.includes('UNAVAILABLE')),
      'history',
    );
    expect(dropped.id).toBeUndefined();
    source.set('a', true);
    await affordancesWhere(gateway, available('a'));

    const answer = await history({ subgraph: 'a', since: start.entries.at(-1)!.at });
    const changes = answer.entries.map((e) => e.changes);
    // Unavailable at once (its source says down), left out once the schema without it is served.
    expect(changes.flat()).toEqual(expect.arrayContaining(['UNAVAILABLE', 'LEFT_OUT', 'AVAILABLE', 'COMPOSED']));
    expect(changes.flat().indexOf('UNAVAILABLE')).toBeLessThan(changes.flat().indexOf('LEFT_OUT'));
    expect(answer.entries.find((e) => e.changes.includes('UNAVAILABLE'))?.reason).toContain('readiness probe failing');
    expect(answer.subgraphs).toHaveLength(1);
    const [a] = answer.subgraphs;
    expect(a).toMatchObject({ subgraph: 'a', available: true, availableAtSince: true });
    expect(a!.windows.map((w) => [w.window, w.drops])).toEqual([
      ['1h', 1],
      ['24h', 1],
    ]);
    expect(a!.windows[0]!.unavailableMs).toBeGreaterThan(0);

    const metrics = await (await fetch(`${gateway.url}/metrics`)).text();
    expect(metrics).toMatch(/^gateway_subgraph_drops_total\{subgraph="a",component="gateway"\} 1$/m);
    expect(metrics).toMatch(/^gateway_subgraph_drops_total\{subgraph="b",component="gateway"\} 0$/m);
    expect(metrics).toMatch(
      /^gateway_subgraph_unavailable_seconds_total\{subgraph="a",component="gateway"\} [0-9.e-]+$/m,
    );
    stream.close();
  });

  test('since: a duration or an RFC 3339 time; anything else is BAD_USER_INPUT', async () => {
    expect((await history({ since: '1h' })).entries.length).toBeGreaterThan(0);
    expect((await history({ since: new Date(Date.now() + 60_000).toISOString() })).entries).toEqual([]);
    const refused = await gql(gateway.url, HISTORY, { since: 'yesterday' });
    expect(refused.errors?.[0]).toMatchObject({ extensions: { code: ErrorCode.BAD_USER_INPUT } });
    expect(refused.errors?.[0]?.message).toContain('RFC 3339');
  });

  test('the subgraph argument only narrows what is kept; unknown names add nothing', async () => {
    const before = gateway.history.query().entries.length;
    expect((await history({ subgraph: 'nope' })).subgraphs).toEqual([]);
    expect(gateway.history.query().entries.length).toBe(before);
  });

  test('client history: sparklines and a table, --json, a bad --since', async () => {
    const client = new GatewayClient(gateway.url, 5000);
    const terminal = new CaptureTerminal();
    expect(await historyCommand(client, { json: false, since: '1h' }, terminal)).toBe(ExitCode.OK);
    const [heading, a, b] = terminal.lines;
    expect(heading).toMatch(/^Availability from .* to .*\(█ up, ▁ down\)$/);
    expect(a).toMatch(/^a {9}[█▁ ]{40} {2}1h: 1 drop, down \d+s; 24h: 1 drop, down \d+s$/);
    expect(a).toContain('▁');
    expect(b).toMatch(/^b {9}[█ ]{40} {2}1h: 0 drops, down 0s; 24h: 0 drops, down 0s$/);
    expect(terminal.stdout).toContain('UNAVAILABLE');
    expect(terminal.stdout).toContain('readiness probe failing');

    const json = new CaptureTerminal();
    await historyCommand(client, { json: true, subgraph: 'b' }, json);
    const answer = JSON.parse(json.stdout) as History;
    expect(answer.subgraphs.map((s) => s.subgraph)).toEqual(['b']);

    await expect(historyCommand(client, { json: false, since: 'soon' }, new CaptureTerminal())).rejects.toMatchObject({
      exitCode: ExitCode.USAGE,
      code: 'BAD_USER_INPUT',
    });
  });
});
